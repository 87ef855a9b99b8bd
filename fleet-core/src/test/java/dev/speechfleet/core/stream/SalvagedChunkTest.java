package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SalvagedChunkTest {

    private static AudioChunk chunk() {
        return AudioChunk.builder().utterance("sess-1", "esp32-a", 4).audio(new byte[] {1, 2}).sampleRate(16000)
                .startMs(12_340).durationMs(2_150).language("de").policy("consensus").routeReason("consensus")
                .fallbackProviders(List.of()).attempt(2).originalProvider("whisper").mode(ChunkMode.CONSENSUS)
                .consensusProviders(List.of("whisper", "deepgram")).enqueuedAtMillis(1700000000000L).build();
    }

    @Test
    void readsWhatAnUndecodableAudioEntryStillSays() {
        EntryFields fields = AudioChunkCodec.encode(chunk()).put(AudioFields.SAMPLE_RATE, "fast")
                .put(AudioFields.DURATION_MS, "long");

        SalvagedChunk salvaged = SalvagedChunk.from(fields).orElseThrow();

        assertThat(salvaged.chunkId()).isEqualTo("sess-1:4");
        assertThat(salvaged.deviceId()).isEqualTo("esp32-a");
        assertThat(salvaged.startMs()).isEqualTo(12_340);
        assertThat(salvaged.durationMs()).as("unreadable, so neutral").isZero();
        assertThat(salvaged.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(salvaged.consensusProviders()).containsExactly("whisper", "deepgram");
        assertThat(salvaged.attempt()).isEqualTo(2);
    }

    @Test
    void failedHypothesisCarriesTheChunkAndTheReason() {
        Hypothesis failed = SalvagedChunk.from(AudioChunkCodec.encode(chunk())).orElseThrow()
                .failedHypothesis("deepgram", "malformed entry: x", 99);

        assertThat(failed.ok()).isFalse();
        assertThat(failed.provider()).isEqualTo("deepgram");
        assertThat(failed.seq()).isEqualTo(4);
        assertThat(failed.error()).isEqualTo("malformed entry: x");
        assertThat(failed.producedAtMillis()).isEqualTo(99);
        assertThat(failed.mode()).isEqualTo(ChunkMode.CONSENSUS);
    }

    @Test
    void readsAHypothesisEntryToo() {
        Hypothesis h = Hypothesis.builder().utterance("s9", "esp-01", 1).provider("whisper")
                .transcript("hi", 0.5, List.of()).language("en").timing(100, 900).cost(10, 0).enqueuedAtMillis(5)
                .producedAtMillis(6).build();

        SalvagedChunk salvaged = SalvagedChunk.from(HypothesisCodec.encode(h).put(HypothesisFields.STATUS, "?"))
                .orElseThrow();

        assertThat(salvaged.chunkId()).isEqualTo("s9:1");
        assertThat(salvaged.durationMs()).isEqualTo(900);
        assertThat(salvaged.mode()).isEqualTo(ChunkMode.SINGLE);
    }

    @Test
    void nothingIsSalvagedWithoutAUsableSessionAndSeq() {
        assertThat(SalvagedChunk.from(AudioChunkCodec.encode(chunk()).put(AudioFields.SEQ, "four"))).isEmpty();
        assertThat(SalvagedChunk.from(AudioChunkCodec.encode(chunk()).put(AudioFields.SEQ, "-1"))).isEmpty();
        assertThat(SalvagedChunk.from(AudioChunkCodec.encode(chunk()).put(AudioFields.SESSION_ID, "a{b}"))).isEmpty();
        assertThat(SalvagedChunk.from(EntryFields.create().put(AudioFields.SEQ, 4))).isEmpty();
    }

    @Test
    void chunkIdThatContradictsSessionAndSeqSalvagesNothing() {
        assertThat(SalvagedChunk.from(AudioChunkCodec.encode(chunk()).put(AudioFields.CHUNK_ID, "sess-1:5")))
                .isEmpty();
    }
}
