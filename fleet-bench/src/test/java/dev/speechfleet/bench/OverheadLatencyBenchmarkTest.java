package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2, overhead latency: from the end of an utterance at the router (the moment it is due in
 * an open-loop schedule, i.e. cut) to its transcript on the device's socket, minus the provider's
 * time (the instant provider answers at once), at 200 and at 1,000 utterances per second. The load
 * keeps its schedule whatever the fleet does: a dispatch that starts late counts against the fleet.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=OverheadLatencyBenchmarkTest} ({@code -Dbench.seconds}, {@code -Dbench.rates}, {@code -Dbench.runs}).
 */
@Tag("slow")
class OverheadLatencyBenchmarkTest {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    private static final String RATES = System.getProperty("bench.rates", "200,1000");
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int DEVICES = 50;

    @Test
    void overheadPercentilesAtFixedRates() throws Exception {
        BenchReport report = new BenchReport("overhead-latency");
        report.line("open loop, %d s per run, 100 ms utterances over %d sessions, instant provider (0 ms), 1 router,"
                + " 1 worker (concurrency 16), 1 aggregator", SECONDS, DEVICES);
        try (BenchFleet fleet = BenchFleet.start(BenchFleet.Setup.instant())) {
            byte[] utterance = BenchAudio.utterance(100);
            InjectionRun.open(fleet, "warm", DEVICES).inject(2000, 200, utterance).finish(Duration.ofMinutes(2));
            for (String rateText : RATES.split(",")) {
                double rate = Double.parseDouble(rateText.strip());
                List<Double> p50 = new ArrayList<>();
                List<Double> p95 = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                for (int r = 1; r <= RUNS; r++) {
                    InjectionRun.Result result = InjectionRun.open(fleet, "lat" + (int) rate + "-" + r, DEVICES)
                            .inject((int) (rate * SECONDS), rate, utterance)
                            .finish(Duration.ofSeconds(120 + SECONDS * 4L));
                    double[] overhead = result.overheadsMs(0);
                    double[] late = result.lateStartsMs();
                    report.line("%.0f/s run %d: overhead p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " dispatch started late p99 %.1f ms; delivered %.0f/s; %s; load %.1f→%.1f", rate, r,
                            Stats.percentile(overhead, 50), Stats.percentile(overhead, 95),
                            Stats.percentile(overhead, 99), Stats.max(overhead), Stats.percentile(late, 99),
                            result.throughput(), result.delivery(), result.loadBefore(), result.loadAfter());
                    report.line("  CPU per utterance: %s", RunFigures.cpuPerUtterance(result));
                    assertThat(result.delivery().lost()).as("utterances lost at %.0f/s, run %d", rate, r).isZero();
                    p50.add(Stats.percentile(overhead, 50));
                    p95.add(Stats.percentile(overhead, 95));
                    p99.add(Stats.percentile(overhead, 99));
                }
                report.line("%.0f/s overhead (ms, min / median / max of %d runs): p50 %s, p95 %s, p99 %s%s", rate, RUNS,
                        Stats.spread(p50, 1), Stats.spread(p95, 1), Stats.spread(p99, 1),
                        rate == 1000 ? " (target p99 ≤ 10 ms)" : "");
            }
        }
    }
}
