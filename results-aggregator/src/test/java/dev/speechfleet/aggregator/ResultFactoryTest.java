package dev.speechfleet.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.TranscriptResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ResultFactoryTest {

    private static final List<String> TWO = List.of("whisper", "deepgram");

    private final Clock clock = Clock.fixed(Instant.ofEpochMilli(System.currentTimeMillis() + 2_000), ZoneOffset.UTC);
    private final ResultFactory factory = new ResultFactory(new Rover(0.7, 0.6), clock);

    @Test
    void latencyRunsFromTheRoutersEnqueueToNow() {
        Hypothesis h = Hypotheses.ok("r1", 0, "deepgram", "hi", 0.9, 0);

        TranscriptResult result = factory.single(h);

        assertThat(result.latencyMs()).isEqualTo(clock.millis() - h.enqueuedAtMillis());
        assertThat(result.producedAtMillis()).isEqualTo(clock.millis());
    }

    @Test
    void consensusWithOneAnswerUsesItAloneButCountsEveryCost() {
        Hypothesis answer = Hypotheses.consensus("r2", 1, "deepgram", "lights off", 0.9, TWO);
        Hypothesis failed = Hypothesis.builder().utterance("r2", "esp-01", 1).provider("whisper").failed("timeout")
                .language("en").timing(0, 1000).cost(10, 0.0005).mode(ChunkMode.CONSENSUS).consensusProviders(TWO)
                .enqueuedAtMillis(answer.enqueuedAtMillis()).build();

        TranscriptResult result = factory.consensus(List.of(failed, answer), false);

        assertThat(result.ok()).isTrue();
        assertThat(result.text()).isEqualTo("lights off");
        assertThat(result.provider()).isEqualTo("deepgram");
        assertThat(result.providers()).containsExactly("deepgram");
        assertThat(result.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(result.costUsd()).isCloseTo(answer.costUsd() + 0.0005, Offset.offset(1e-12));
    }

    @Test
    void consensusDeadlineWithOnlyFailuresGivesAnErrorThatSaysSo() {
        Hypothesis failed = Hypotheses.consensusFailed("r3", 2, "whisper", TWO);

        TranscriptResult result = factory.consensus(List.of(failed), true);

        assertThat(result.ok()).isFalse();
        assertThat(result.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        assertThat(result.error()).startsWith("no provider answered before the consensus deadline")
                .contains("whisper: whisper returned HTTP 500");
    }

    @Test
    void failedSingleHypothesisWithoutAReasonStillExplainsTheError() {
        TranscriptResult result = factory.single(Hypotheses.failed("r4", 3, "parakeet", ""));

        assertThat(result.ok()).isFalse();
        assertThat(result.error()).isEqualTo("every provider of the chain failed");
        assertThat(result.provider()).isEqualTo("parakeet");
    }
}
