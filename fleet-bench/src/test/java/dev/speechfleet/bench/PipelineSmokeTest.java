package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Short forms of scenarios 1 and 2 for every build: the whole pipeline through real sockets, every
 * service its own process. They print their figures and fail on a lost or disordered utterance,
 * never on a speed figure (the machine may be loaded).
 */
class PipelineSmokeTest {

    private static BenchFleet fleet;

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = BenchFleet.start(BenchFleet.Setup.instant());
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void closedLoopBurstReachesEveryDeviceInOrder() throws Exception {
        InjectionRun.Result result = InjectionRun.open(fleet, "smoke-tp", 20).inject(2000, 0, BenchAudio.utterance(100))
                .finish(Duration.ofSeconds(120));

        System.out.printf("[bench] smoke throughput: %.0f utterances/s end to end (dispatched %.0f/s); %s%n",
                result.throughput(), result.dispatchRate(), result.delivery());
        assertThat(result.dispatched()).hasSize(2000);
        assertThat(result.delivery().issued()).isEqualTo(2000);
        assertThat(result.delivery().lost()).isZero();
        assertThat(result.delivery().transcripts()).isEqualTo(2000);
        assertThat(result.delivery().problems()).isEmpty();
    }

    @Test
    void openLoopAtTwoHundredASecondLosesNothing() throws Exception {
        InjectionRun.Result result = InjectionRun.open(fleet, "smoke-lat", 20).inject(1000, 200,
                BenchAudio.utterance(100)).finish(Duration.ofSeconds(120));

        double[] overhead = result.overheadsMs(0);
        System.out.printf("[bench] smoke overhead at 200/s: p50 %.1f ms, p99 %.1f ms; %s%n",
                Stats.percentile(overhead, 50), Stats.percentile(overhead, 99), result.delivery());
        assertThat(overhead).hasSize(1000);
        assertThat(result.delivery().lost()).isZero();
        assertThat(result.delivery().transcripts()).isEqualTo(1000);
        assertThat(result.delivery().problems()).isEmpty();
    }
}
