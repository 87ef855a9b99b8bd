package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HypothesisCodecTest {

    @Test
    void everyFieldRoundTrips() {
        Hypothesis h = Hypothesis.builder().utterance("s", "dev", 3).provider("deepgram")
                .transcript("Hello, world.", 0.93,
                        List.of(new WordTiming("Hello,", 0, 480, 0.81), new WordTiming("world.", 480, 880, 0.97)))
                .language("en").model("nova-3").timing(5000, 900).cost(312, 0.0000645).attempt(2)
                .mode(ChunkMode.CONSENSUS).consensusProviders(List.of("deepgram", "whisper")).enqueuedAtMillis(1000)
                .producedAtMillis(2000).traceparent("00-abc-def-01").build();

        Hypothesis decoded = HypothesisCodec.decode(HypothesisCodec.encode(h));

        assertThat(decoded).isEqualTo(h);
    }

    @Test
    void flagsRoundTripAndAreAbsentWhenThereAreNone() {
        Hypothesis flagged = Hypothesis.builder().utterance("s", "dev", 5).provider("whisper")
                .transcript("", 0, List.of()).language("en").model("base.en").timing(0, 900).cost(1200, 0)
                .enqueuedAtMillis(1).producedAtMillis(2).flags(List.of("hallucination:repetition")).build();

        assertThat(HypothesisCodec.decode(HypothesisCodec.encode(flagged))).isEqualTo(flagged);
        assertThat(HypothesisCodec.encode(flagged).string(HypothesisFields.FLAGS)).isEqualTo("hallucination:repetition");
        Hypothesis plain = Hypothesis.builder().utterance("s", "dev", 6).provider("whisper")
                .transcript("hi", 0.5, List.of()).language("en").timing(0, 900).cost(1200, 0).enqueuedAtMillis(1)
                .producedAtMillis(2).build();
        assertThat(HypothesisCodec.encode(plain).has(HypothesisFields.FLAGS)).isFalse();
        assertThat(HypothesisCodec.decode(HypothesisCodec.encode(plain)).flags()).isEmpty();
    }

    @Test
    void failedHypothesisRoundTrips() {
        Hypothesis h = Hypothesis.builder().utterance("s", "dev", 4).provider("parakeet").failed("PERMANENT: bad audio")
                .language("en").timing(0, 100).attempt(4).enqueuedAtMillis(1).producedAtMillis(2).build();

        Hypothesis decoded = HypothesisCodec.decode(HypothesisCodec.encode(h));

        assertThat(decoded).isEqualTo(h);
        assertThat(HypothesisCodec.encode(h).string(HypothesisFields.STATUS)).isEqualTo("failed");
    }

    @Test
    void unknownStatusIsMalformed() {
        EntryFields fields = EntryFields.create().put("chunk_id", "s:1").put("session_id", "s").put("seq", 1)
                .put("provider", "x").put("status", "maybe");

        assertThatThrownBy(() -> HypothesisCodec.decode(fields)).isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining("maybe");
    }

    @Test
    void confidenceOutsideZeroToOneIsRejected() {
        assertThatThrownBy(() -> Hypothesis.builder().utterance("s", "d", 1).provider("p").transcript("x", 1.5, null)
                .build()).isInstanceOf(IllegalArgumentException.class);
    }
}
