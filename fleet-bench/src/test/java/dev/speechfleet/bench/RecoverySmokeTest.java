package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Short form of scenario 4 for every build: a worker SIGKILLed while it holds utterances; the other
 * worker claims them after the claim idle time and every utterance reaches its device. Fails on a
 * lost utterance, never on the recovery time.
 */
class RecoverySmokeTest {

    @Test
    void aKilledWorkersUtterancesReachTheirDevices() throws Exception {
        // Either worker alone keeps up (32 calls of 200 ms in flight: 160 a second against 100).
        BenchFleet.Setup setup = BenchFleet.Setup.instant().withWorkers(2).withLatency(Duration.ofMillis(200))
                .withConcurrency(32).withCommon(Map.of("fleet.worker.claim-idle", "3s",
                        "fleet.worker.maintenance-interval", "500ms"));
        try (BenchFleet fleet = BenchFleet.start(setup)) {
            RecoveryRun run = RecoveryRun.run(fleet, "smoke-rec", 20, 100, Duration.ofSeconds(8),
                    Duration.ofSeconds(2), "worker-1");

            System.out.printf("[bench] smoke recovery: worker-1 held %d, all on their sockets %.0f ms after the kill"
                    + " (claim idle 3 s); %s%n", run.held().size(), run.recoveredMs(), run.result().delivery());
            assertThat(run.held()).isNotEmpty();
            assertThat(run.recoveredMs()).isGreaterThan(0);
            assertThat(run.result().delivery().issued()).isEqualTo(800);
            assertThat(run.result().delivery().lost()).isZero();
            assertThat(run.result().delivery().problems()).isEmpty();
        }
    }
}
