package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End-to-end throughput of the aggregator on a real (embedded) Redis on the same machine: hypotheses
 * written up front, time until every result is in its session stream. Run with
 * {@code ./mvnw -B -o -f results-aggregator/pom.xml verify -Pslow -Dtest='*BenchmarkTest'}.
 */
@Tag("slow")
class AggregatorBenchmarkTest {

    private static final int SINGLE_CHUNKS = 5_000;
    private static final int CONSENSUS_CHUNKS = 2_000;
    private static final List<String> THREE = List.of("whisper", "deepgram", "parakeet");

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @Test
    void singleModeThroughputWithOneAndTwoInstances() {
        for (int instances : new int[] {1, 2}) {
            redis.flush();
            for (int seq = 0; seq < SINGLE_CHUNKS; seq++) {
                write(Hypotheses.ok("bench", seq, "deepgram", "the quick brown fox jumps over the lazy dog", 0.9, 0));
            }
            double perSecond = drain(instances, "bench", SINGLE_CHUNKS, Duration.ofSeconds(5));
            System.out.printf(Locale.ROOT, "single mode, %d instance(s): %d chunks, %.0f results/s%n", instances,
                    SINGLE_CHUNKS, perSecond);
        }
    }

    @Test
    void consensusThroughputWithThreeProvidersAndTwoInstances() {
        for (int seq = 0; seq < CONSENSUS_CHUNKS; seq++) {
            write(Hypotheses.consensus("bench-c", seq, "whisper", "switch the kitchen light on now", 0.7, THREE));
            write(Hypotheses.consensus("bench-c", seq, "deepgram", "switch the chicken light on now", 0.9, THREE));
            write(Hypotheses.consensus("bench-c", seq, "parakeet", "switch the kitchen lights on now", 0.8, THREE));
        }
        double perSecond = drain(2, "bench-c", CONSENSUS_CHUNKS, Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "consensus (3 hypotheses per chunk, ROVER), 2 instances: %d chunks, %.0f results/s"
                + " (%.0f hypotheses/s)%n", CONSENSUS_CHUNKS, perSecond, perSecond * 3);
    }

    private double drain(int instances, String session, int chunks, Duration consensusTimeout) {
        List<ConsumerLoop> loops = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < instances; i++) {
            ConsumerLoop loop = AggregatorLoop.create(streams, TestAggregatorSettings.fast("bench-" + i,
                    consensusTimeout), new SimpleMeterRegistry());
            loop.start();
            loops.add(loop);
        }
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> streams.length(StreamKeys.sessionResults(session)) >= chunks);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(streams.length(StreamKeys.sessionResults(session))).isEqualTo(chunks);
            return chunks / seconds;
        } finally {
            loops.forEach(ConsumerLoop::stop);
        }
    }

    private void write(Hypothesis h) {
        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(h));
    }
}
