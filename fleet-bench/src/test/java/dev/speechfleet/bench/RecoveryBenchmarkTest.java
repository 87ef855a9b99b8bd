package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4, recovery: two instant-provider workers (100 ms a call, concurrency 32, so that either
 * alone keeps up) share the load
 * of utterances injected at 200 per second; worker-1 is SIGKILLed 3 s in. Figures: how many entries
 * it held, the time from the kill until the last of them is transcribed on its device's socket
 * (target: within the claim idle time plus 2 s), and utterances lost (must be 0). The claim idle
 * time is 10 s here instead of production's 60 s so that a run stays short; the target scales with it.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=RecoveryBenchmarkTest} ({@code -Dbench.claim-idle-s}, {@code -Dbench.runs}).
 */
@Tag("slow")
class RecoveryBenchmarkTest {

    private static final int CLAIM_IDLE_S = Integer.getInteger("bench.claim-idle-s", 10);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final double RATE = 200;

    @Test
    void aKilledWorkersUtterancesAreTranscribedAfterTheClaimIdleTime() throws Exception {
        BenchReport report = new BenchReport("recovery");
        report.line("2 workers (instant provider, 100 ms per call, concurrency 32: either alone keeps up),"
                + " %.0f utterances/s over 50 sessions for %d s, worker-1 SIGKILLed at 3 s; claim idle %d s, maintenance %d s", RATE,
                CLAIM_IDLE_S + 8, CLAIM_IDLE_S, Math.max(1, CLAIM_IDLE_S / 5));
        List<Double> recoveries = new ArrayList<>();
        for (int r = 1; r <= RUNS; r++) {
            try (BenchFleet fleet = BenchFleet.start(setup())) {
                RecoveryRun run = RecoveryRun.run(fleet, "rec" + r, 50, RATE, Duration.ofSeconds(CLAIM_IDLE_S + 8),
                        Duration.ofSeconds(3), "worker-1");
                report.line("run %d: worker-1 held %d utterances when killed; the last of them on its socket %.0f ms"
                        + " after the kill (target %d ms); %s; load %.1f→%.1f", r, run.held().size(),
                        run.recoveredMs(), CLAIM_IDLE_S * 1000 + 2000, run.result().delivery(),
                        run.result().loadBefore(), run.result().loadAfter());
                assertThat(run.result().delivery().lost()).as("utterances lost in run %d", r).isZero();
                assertThat(run.recoveredMs()).as("every held utterance transcribed in run %d", r)
                        .isGreaterThanOrEqualTo(0);
                recoveries.add(run.recoveredMs());
            }
        }
        report.line("recovery (ms from the kill, min / median / max of %d runs): %s (target %d ms)", RUNS,
                Stats.spread(recoveries, 0), CLAIM_IDLE_S * 1000 + 2000);
    }

    static BenchFleet.Setup setup() {
        return BenchFleet.Setup.instant().withWorkers(2).withLatency(Duration.ofMillis(100)).withConcurrency(32)
                .withCommon(Map.of("fleet.worker.claim-idle", CLAIM_IDLE_S + "s",
                        "fleet.worker.maintenance-interval", Math.max(1, CLAIM_IDLE_S / 5) + "s"));
    }
}
