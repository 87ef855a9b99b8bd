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
            return c.toBuilder().keyterms(List.of()).build();
        }
    }

    private static AudioChunk fullChunk() {
        byte[] pcm = new byte[512];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) i;
        }
        return AudioChunk.builder().utterance("sess-1", "esp32-a", 4).audio(pcm).sampleRate(16000).startMs(12_340)
                .durationMs(2_150).language("de").policy("latency").routeReason("latency: p95 310 ms, lag 0")
                .fallbackProviders(List.of("deepgram", "assemblyai")).attempt(2).originalProvider("whisper")
                .errorHistory(List.of(new ProviderError("whisper", FailureKind.RETRYABLE, "timeout, \"quoted\"",
                        1700000000123L)))
                .mode(ChunkMode.CONSENSUS).consensusProviders(List.of("whisper", "deepgram"))
                .enqueuedAtMillis(1700000000000L).traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .keyterms(List.of("Kitchen", "Smith, John")).build();
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
        AudioChunk byRef = AudioChunk.builder().utterance(full.sessionId(), full.deviceId(), full.seq())
                .audioRef(full.chunkId()).sampleRate(full.sampleRate()).startMs(full.startMs())
                .durationMs(full.durationMs()).language(full.language()).policy(full.policy())
                .routeReason(full.routeReason()).fallbackProviders(List.of()).build();

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
