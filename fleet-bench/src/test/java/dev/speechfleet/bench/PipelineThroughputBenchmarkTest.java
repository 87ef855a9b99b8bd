package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1, pipeline throughput: utterances per second from the router's dispatch (the XADD of a
 * cut utterance, injected in the router's own process) to the transcript written to the device's
 * socket, with the instant provider answering at once, 100 ms utterances, one router, one worker
 * process (concurrency 16) and one aggregator. Closed loop: every session's share is dispatched back
 * to back. A warm-up run of the same size, then {@code bench.runs} measured runs; fails only on a lost
 * utterance.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=PipelineThroughputBenchmarkTest} ({@code -Dbench.utterances}, {@code -Dbench.devices},
 * {@code -Dbench.runs}, {@code -Dbench.jfr=true} to record profiles).
 */
@Tag("slow")
class PipelineThroughputBenchmarkTest {

    private static final int UTTERANCES = Integer.getInteger("bench.utterances", 10_000);
    private static final int DEVICES = Integer.getInteger("bench.devices", 50);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);

    @Test
    void utterancesPerSecondFromDispatchToSocket() throws Exception {
        BenchReport report = new BenchReport("pipeline-throughput");
        report.line("%d utterances of 100 ms per run over %d sessions, instant provider (0 ms), 1 router, 1 worker"
                + " (concurrency %d), 1 aggregator, Redis AOF everysec", UTTERANCES, DEVICES, CONCURRENCY);
        List<Double> throughputs = new ArrayList<>();
        try (BenchFleet fleet = BenchFleet.start(BenchFleet.Setup.instant().withConcurrency(CONCURRENCY))) {
            byte[] utterance = BenchAudio.utterance(100);
            // As long as a measured run: the JIT has compiled the whole path before the first figure.
            run(fleet, "warm", UTTERANCES, utterance);
            for (int r = 1; r <= RUNS; r++) {
                InjectionRun.Result result = run(fleet, "tp" + r, UTTERANCES, utterance);
                double[] endToEnd = result.overheadsMs(0);
                report.line("run %d: %.0f utterances/s end to end (router dispatched %.0f/s); due→socket p50 %.1f ms,"
                        + " p99 %.1f ms; %s; load %.1f→%.1f", r, result.throughput(), result.dispatchRate(),
                        Stats.percentile(endToEnd, 50), Stats.percentile(endToEnd, 99), result.delivery(),
                        result.loadBefore(), result.loadAfter());
                report.line("  CPU per utterance: %s", RunFigures.cpuPerUtterance(result));
                report.line("  Redis commands per utterance: %s", RunFigures.commandsPerUtterance(result));
                assertThat(result.delivery().lost()).as("utterances lost in run %d", r).isZero();
                assertThat(result.delivery().problems()).as("delivery problems in run %d", r).isEmpty();
                throughputs.add(result.throughput());
            }
        }
        report.line("pipeline throughput (utterances/s, min / median / max of %d runs): %s (target 10,000)", RUNS,
                Stats.spread(throughputs, 0));
    }

    private static InjectionRun.Result run(BenchFleet fleet, String name, int count, byte[] utterance)
            throws Exception {
        return InjectionRun.open(fleet, name, DEVICES).inject(count, 0, utterance)
                .finish(Duration.ofSeconds(Math.max(120, count / 100)));
    }
}
