package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A consensus chunk whose only hypotheses at its deadline are failures waits for the providers still
 * outstanding, up to the hard cap, instead of turning a slow success into an error.
 */
class ConsensusHardCapTest {

    private static final List<String> PAIR = List.of("whisper", "deepgram");

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private final List<ConsumerLoop> loops = new ArrayList<>();

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @AfterEach
    void stopInstances() {
        loops.forEach(ConsumerLoop::stop);
    }

    @Test
    void slowSuccessAfterAFastFailureIsTheResult() {
        startTwo(TestAggregatorSettings.fast("aggregator-a", Duration.ofSeconds(1)),
                TestAggregatorSettings.fast("aggregator-b", Duration.ofSeconds(1)));
        // deepgram's breaker is open: it fails at once. whisper needs longer than the consensus timeout.
        write(Hypotheses.consensusFailed("h1", 0, "deepgram", PAIR));
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() -> results("h1").isEmpty());

        write(Hypotheses.consensus("h1", 0, "whisper", "call my sister", 0.8, PAIR));

        await().atMost(Duration.ofSeconds(10)).until(() -> !results("h1").isEmpty());
        assertThat(results("h1")).singleElement().satisfies(r -> {
            assertThat(r.ok()).as("result: %s", r.error()).isTrue();
            assertThat(r.text()).isEqualTo("call my sister");
            assertThat(r.mode()).isEqualTo(ChunkMode.CONSENSUS);
        });
    }

    @Test
    void onlyFailuresAndSilenceGiveAnErrorResultAtTheHardCap() {
        startTwo(TestAggregatorSettings.fast("aggregator-a", Duration.ofSeconds(1), Duration.ofSeconds(3)),
                TestAggregatorSettings.fast("aggregator-b", Duration.ofSeconds(1), Duration.ofSeconds(3)));
        long firstWritten = System.currentTimeMillis();
        write(Hypotheses.consensusFailed("h2", 3, "deepgram", PAIR));

        await().atMost(Duration.ofSeconds(15)).until(() -> !results("h2").isEmpty());

        assertThat(results("h2")).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
            assertThat(r.error()).contains("no provider answered").contains("deepgram returned HTTP 500");
            assertThat(r.producedAtMillis() - firstWritten).isGreaterThanOrEqualTo(3000);
        });
    }

    @Test
    void answerArrivingAfterTheDeadlineIsEmittedWithoutWaitingForTheLastProvider() {
        List<String> three = List.of("whisper", "deepgram", "parakeet");
        startTwo(TestAggregatorSettings.fast("aggregator-a", Duration.ofSeconds(1), Duration.ofSeconds(30)),
                TestAggregatorSettings.fast("aggregator-b", Duration.ofSeconds(1), Duration.ofSeconds(30)));
        write(Hypotheses.consensusFailed("h3", 1, "deepgram", three));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> results("h3").isEmpty());
        long answered = System.currentTimeMillis();

        write(Hypotheses.consensus("h3", 1, "whisper", "lock the door", 0.8, three));

        await().atMost(Duration.ofSeconds(10)).until(() -> !results("h3").isEmpty());
        assertThat(results("h3")).singleElement().satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.providers()).containsExactly("whisper");
            assertThat(r.producedAtMillis() - answered).as("decided on arrival, not at the hard cap")
                    .isLessThan(10_000);
        });
    }

    private void startTwo(AggregatorSettings... settings) {
        for (AggregatorSettings s : settings) {
            ConsumerLoop loop = AggregatorLoop.create(streams, s, new SimpleMeterRegistry());
            loop.start();
            loops.add(loop);
        }
    }

    private void write(Hypothesis h) {
        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(h));
    }

    private List<TranscriptResult> results(String session) {
        return streams.range(StreamKeys.sessionResults(session), "-", "+", 100).stream()
                .map(e -> TranscriptResultCodec.decode(e.fields())).toList();
    }
}
