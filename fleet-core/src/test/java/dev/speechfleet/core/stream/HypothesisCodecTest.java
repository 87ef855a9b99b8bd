package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HypothesisCodecTest {

    @Test
    void everyFieldRoundTrips() {
        Hypothesis h = new Hypothesis("s:3", "s", "dev", 3, "deepgram", true, "Hello, world.", 0.93,
                List.of(new WordTiming("Hello,", 0, 480, 0.81), new WordTiming("world.", 480, 880, 0.97)), "en",
                "nova-3", 5000, 900, 312, 0.0000645, 2, ChunkMode.CONSENSUS, List.of("deepgram", "whisper"), 1000,
                2000, "", "00-abc-def-01");

        Hypothesis decoded = HypothesisCodec.decode(HypothesisCodec.encode(h));

        assertThat(decoded).isEqualTo(h);
    }

    @Test
    void flagsRoundTripAndAreAbsentWhenThereAreNone() {
        Hypothesis flagged = new Hypothesis("s:5", "s", "dev", 5, "whisper", true, "", 0, List.of(), "en", "base.en",
                0, 900, 1200, 0, 1, ChunkMode.SINGLE, List.of(), 1, 2, "", null, List.of("hallucination:repetition"));

        assertThat(HypothesisCodec.decode(HypothesisCodec.encode(flagged))).isEqualTo(flagged);
        assertThat(HypothesisCodec.encode(flagged).string(HypothesisFields.FLAGS)).isEqualTo("hallucination:repetition");
        Hypothesis plain = new Hypothesis("s:6", "s", "dev", 6, "whisper", true, "hi", 0.5, List.of(), "en", "", 0,
                900, 1200, 0, 1, ChunkMode.SINGLE, List.of(), 1, 2, "", null);
        assertThat(HypothesisCodec.encode(plain).has(HypothesisFields.FLAGS)).isFalse();
        assertThat(HypothesisCodec.decode(HypothesisCodec.encode(plain)).flags()).isEmpty();
    }

    @Test
    void failedHypothesisRoundTrips() {
        Hypothesis h = new Hypothesis("s:4", "s", "dev", 4, "parakeet", false, "", 0, List.of(), "en", "", 0, 100, 0,
                0, 4, ChunkMode.SINGLE, List.of(), 1, 2, "PERMANENT: bad audio", null);

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
        assertThatThrownBy(() -> new Hypothesis("s:1", "s", "d", 1, "p", true, "x", 1.5, null, null, null, 0, 0, 0, 0,
                1, null, null, 0, 0, null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
