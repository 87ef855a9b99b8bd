package dev.speechfleet.core.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One utterance on its way to a provider: an entry of {@code audio:stream:{provider}}.
 *
 * <p>Exactly one of {@code audio} (raw PCM bytes) and {@code audioRef} (the chunk id of an
 * {@code audio:blob:{chunk_id}} key) is set.
 *
 * @param chunkId            {@code {session_id}:{seq}}
 * @param sessionId          the device session
 * @param deviceId           the device that spoke
 * @param seq                the utterance's position in its session, from 0
 * @param audio              raw PCM, or {@code null} when {@code audioRef} is set
 * @param audioRef           chunk id of the shared audio blob, or {@code null}
 * @param encoding           {@code pcm_s16le}
 * @param sampleRate         samples per second
 * @param startMs            start of the utterance within the session, milliseconds
 * @param durationMs         length of the utterance, milliseconds
 * @param language           BCP-47 language, for example {@code en}
 * @param policy             routing policy the router used
 * @param routeReason        why the router chose this provider
 * @param fallbackProviders  providers still to try, in order; {@code null} means "use the default chain"
 * @param attempt            1 for the router's choice, +1 per re-route
 * @param originalProvider   the provider the router chose first
 * @param errorHistory       every failed attempt so far
 * @param mode               single or consensus
 * @param consensusProviders providers a consensus chunk was fanned out to; empty in single mode
 * @param enqueuedAtMillis   epoch millis when the router first enqueued the chunk
 * @param traceparent        W3C trace context, or {@code null}
 * @param keyterms           the session's key terms (ADR 0026), empty when it asked for none
 */
public record AudioChunk(
        String chunkId,
        String sessionId,
        String deviceId,
        long seq,
        byte[] audio,
        String audioRef,
        String encoding,
        int sampleRate,
        long startMs,
        long durationMs,
        String language,
        String policy,
        String routeReason,
        List<String> fallbackProviders,
        int attempt,
        String originalProvider,
        List<ProviderError> errorHistory,
        ChunkMode mode,
        List<String> consensusProviders,
        long enqueuedAtMillis,
        String traceparent,
        List<String> keyterms) {

    /** Schema version written in field {@code v}. */
    public static final int VERSION = 1;

    /** A chunk without key terms. */
    public AudioChunk(String chunkId, String sessionId, String deviceId, long seq, byte[] audio, String audioRef,
            String encoding, int sampleRate, long startMs, long durationMs, String language, String policy,
            String routeReason, List<String> fallbackProviders, int attempt, String originalProvider,
            List<ProviderError> errorHistory, ChunkMode mode, List<String> consensusProviders, long enqueuedAtMillis,
            String traceparent) {
        this(chunkId, sessionId, deviceId, seq, audio, audioRef, encoding, sampleRate, startMs, durationMs, language,
                policy, routeReason, fallbackProviders, attempt, originalProvider, errorHistory, mode,
                consensusProviders, enqueuedAtMillis, traceparent, List.of());
    }

    public AudioChunk {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(sessionId, "sessionId");
        if ((audio == null) == (audioRef == null)) {
            throw new IllegalArgumentException("exactly one of audio and audioRef must be set for " + chunkId);
        }
        encoding = encoding == null ? "pcm_s16le" : encoding;
        fallbackProviders = fallbackProviders == null ? null : List.copyOf(fallbackProviders);
        errorHistory = errorHistory == null ? List.of() : List.copyOf(errorHistory);
        mode = mode == null ? ChunkMode.SINGLE : mode;
        consensusProviders = consensusProviders == null ? List.of() : List.copyOf(consensusProviders);
        keyterms = keyterms == null ? List.of() : List.copyOf(keyterms);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }

    /** Providers that already failed this chunk, in order. */
    public List<String> triedProviders() {
        return errorHistory.stream().map(ProviderError::provider).distinct().toList();
    }

    /**
     * The same chunk sent on to another provider after {@code error}: attempt + 1, the error
     * appended, {@code remainingFallbacks} as the new chain.
     */
    public AudioChunk reroutedAfter(ProviderError error, List<String> remainingFallbacks) {
        List<ProviderError> history = new ArrayList<>(errorHistory);
        history.add(error);
        String original = originalProvider == null ? error.provider() : originalProvider;
        return new AudioChunk(chunkId, sessionId, deviceId, seq, audio, audioRef, encoding, sampleRate, startMs,
                durationMs, language, policy, routeReason, remainingFallbacks, attempt + 1, original, history, mode,
                consensusProviders, enqueuedAtMillis, traceparent, keyterms);
    }

    /** The same chunk with its audio inline (used for dead letters, which must outlive the blob). */
    public AudioChunk withInlineAudio(byte[] pcm) {
        return new AudioChunk(chunkId, sessionId, deviceId, seq, pcm, null, encoding, sampleRate, startMs,
                durationMs, language, policy, routeReason, fallbackProviders, attempt, originalProvider, errorHistory,
                mode, consensusProviders, enqueuedAtMillis, traceparent, keyterms);
    }

    @Override
    public String toString() {
        return "AudioChunk[" + chunkId + ", attempt " + attempt + ", " + durationMs + " ms"
                + (audioRef != null ? ", ref " + audioRef : ", " + audio.length + " bytes") + "]";
    }
}
