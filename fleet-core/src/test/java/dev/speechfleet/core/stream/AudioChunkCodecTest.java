package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AudioChunkCodecTest {

    /** Builds test chunks. */
    private static final class Chunks {
        static AudioChunk withoutKeyterms(AudioChunk c) {
            return new AudioChunk(c.chunkId(), c.sessionId(), c.deviceId(), c.seq(), c.audio(), c.audioRef(),
                    c.encoding(), c.sampleRate(), c.startMs(), c.durationMs(), c.language(), c.policy(),
                    c.routeReason(), c.fallbackProviders(), c.attempt(), c.originalProvider(), c.errorHistory(),
                    c.mode(), c.consensusProviders(), c.enqueuedAtMillis(), c.traceparent());
        }
    }

    private static AudioChunk fullChunk() {
        byte[] pcm = new byte[512];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) i;
        }
        return new AudioChunk("sess-1:4", "sess-1", "esp32-a", 4, pcm, null, "pcm_s16le", 16000, 12_340, 2_150,
                "de", "latency", "latency: p95 310 ms, lag 0", List.of("deepgram", "assemblyai"), 2, "whisper",
                List.of(new ProviderError("whisper", FailureKind.RETRYABLE, "timeout, \"quoted\"", 1700000000123L)),
                ChunkMode.CONSENSUS, List.of("whisper", "deepgram"), 1700000000000L,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", List.of("Kitchen", "Smith, John"));
    }

    @Test
    void everyFieldRoundTrips() {
        AudioChunk chunk = fullChunk();

        AudioChunk decoded = AudioChunkCodec.decode(EntryFields.of(AudioChunkCodec.encode(chunk).asMap()));

        assertThat(decoded).usingRecursiveComparison().isEqualTo(chunk);
    }

    @Test
    void audioIsStoredAsRawBytes() {
        AudioChunk chunk = fullChunk();

        byte[] stored = AudioChunkCodec.encode(chunk).bytes(AudioFields.AUDIO);

        assertThat(stored).isEqualTo(chunk.audio());
    }

    @Test
    void everyDesignFieldIsWritten() {
        assertThat(AudioChunkCodec.encode(fullChunk()).asMap().keySet()).contains("v", "chunk_id", "session_id",
                "device_id", "seq", "audio", "encoding", "sample_rate", "start_ms", "duration_ms", "language", "policy",
                "route_reason", "fallback_providers", "attempt", "original_provider", "error_history", "mode",
                "enqueued_at", "traceparent");
    }

    @Test
    void keytermsAreAJsonArrayFieldAndAbsentWhenThereAreNone() {
        AudioChunk withTerms = fullChunk();
        AudioChunk without = Chunks.withoutKeyterms(withTerms);

        assertThat(AudioChunkCodec.encode(withTerms).string(AudioFields.KEYTERMS))
                .isEqualTo("[\"Kitchen\",\"Smith, John\"]");
        assertThat(AudioChunkCodec.encode(without).has(AudioFields.KEYTERMS)).isFalse();
        assertThat(AudioChunkCodec.decode(AudioChunkCodec.encode(without)).keyterms()).isEmpty();
    }

    @Test
    void keytermsFollowTheChunkWhenItIsRerouted() {
        AudioChunk rerouted = fullChunk().reroutedAfter(new ProviderError("deepgram", FailureKind.RETRYABLE, "503", 1),
                List.of("assemblyai"));

        assertThat(rerouted.keyterms()).containsExactly("Kitchen", "Smith, John");
        assertThat(rerouted.withInlineAudio(new byte[2]).keyterms()).containsExactly("Kitchen", "Smith, John");
    }

    @Test
    void blobReferenceRoundTripsWithoutInlineAudio() {
        AudioChunk full = fullChunk();
        AudioChunk byRef = new AudioChunk(full.chunkId(), full.sessionId(), full.deviceId(), full.seq(), null,
                full.chunkId(), full.encoding(), full.sampleRate(), full.startMs(), full.durationMs(), full.language(),
                full.policy(), full.routeReason(), List.of(), 1, null, List.of(), ChunkMode.SINGLE, List.of(), 0, null);

        EntryFields fields = AudioChunkCodec.encode(byRef);
        AudioChunk decoded = AudioChunkCodec.decode(fields);

        assertThat(fields.has(AudioFields.AUDIO)).isFalse();
        assertThat(decoded.audioRef()).isEqualTo("sess-1:4");
        assertThat(decoded.fallbackProviders()).isEmpty();
    }

    @Test
    void absentFallbackListStaysDistinctFromAnEmptyOne() {
        AudioChunk full = fullChunk();
        EntryFields fields = AudioChunkCodec.encode(full);
        EntryFields withoutList = EntryFields.create();
        fields.asMap().forEach((k, v) -> {
            if (!k.equals(AudioFields.FALLBACK_PROVIDERS)) {
                withoutList.put(k, v);
            }
        });

        assertThat(AudioChunkCodec.decode(withoutList).fallbackProviders()).isNull();
    }

    @Test
    void missingSeqIsMalformed() {
        EntryFields fields = EntryFields.create().put("chunk_id", "s:1").put("session_id", "s").put("sample_rate", 16000)
                .put("audio", "x".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> AudioChunkCodec.decode(fields)).isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining("seq");
    }

    @Test
    void entryWithNeitherAudioNorReferenceIsMalformed() {
        EntryFields fields = EntryFields.create().put("chunk_id", "s:1").put("session_id", "s").put("seq", 1)
                .put("sample_rate", 16000);

        assertThatThrownBy(() -> AudioChunkCodec.decode(fields)).isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining("audio");
    }

    @Test
    void unknownVersionIsRejected() {
        EntryFields fields = AudioChunkCodec.encode(fullChunk()).put(AudioFields.V, 99);

        assertThatThrownBy(() -> AudioChunkCodec.decode(fields)).isInstanceOf(MalformedEntryException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    void garbledErrorHistoryIsMalformed() {
        EntryFields fields = AudioChunkCodec.encode(fullChunk()).put(AudioFields.ERROR_HISTORY, "[{\"provider\":");

        assertThatThrownBy(() -> AudioChunkCodec.decode(fields)).isInstanceOf(MalformedEntryException.class);
    }

    @Test
    void providerNameThatCannotNameAStreamIsMalformed() {
        Map<String, String> badValues = Map.of(AudioFields.FALLBACK_PROVIDERS, "deepgram,Whisper Large",
                AudioFields.CONSENSUS_PROVIDERS, "Whisper Large,deepgram", AudioFields.ORIGINAL_PROVIDER,
                "Whisper Large");
        badValues.forEach((field, value) -> {
            EntryFields fields = AudioChunkCodec.encode(fullChunk()).put(field, value);

            assertThatThrownBy(() -> AudioChunkCodec.decode(fields)).as(field)
                    .isInstanceOf(MalformedEntryException.class).hasMessageContaining(field)
                    .hasMessageContaining("Whisper Large");
        });
    }
}
