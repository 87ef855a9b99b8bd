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

    public AudioChunk {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(sessionId, "sessionId");
        if ((audio == null) == (audioRef == null)) {
            throw new IllegalArgumentException("exactly one of audio and audioRef must be set for " + chunkId);
        }
        encoding = encoding == null ? AudioEncodings.PCM_S16LE : encoding;
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
        return toBuilder().fallbackProviders(remainingFallbacks).attempt(attempt + 1)
                .originalProvider(originalProvider == null ? error.provider() : originalProvider)
                .errorHistory(history).build();
    }

    /** The same chunk with its audio inline (used for dead letters, which must outlive the blob). */
    public AudioChunk withInlineAudio(byte[] pcm) {
        return toBuilder().audioRef(null).audio(pcm).build();
    }

    /** A chunk built by name; {@link Builder#utterance} or {@link Builder#chunkId} names it. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this chunk, to change some of it. */
    public Builder toBuilder() {
        return new Builder().chunkId(chunkId).sessionId(sessionId).deviceId(deviceId).seq(seq).audio(audio)
                .audioRef(audioRef).encoding(encoding).sampleRate(sampleRate).startMs(startMs).durationMs(durationMs)
                .language(language).policy(policy).routeReason(routeReason).fallbackProviders(fallbackProviders)
                .attempt(attempt).originalProvider(originalProvider).errorHistory(errorHistory).mode(mode)
                .consensusProviders(consensusProviders).enqueuedAtMillis(enqueuedAtMillis).traceparent(traceparent)
                .keyterms(keyterms);
    }

    @Override
    public String toString() {
        return "AudioChunk[" + chunkId + ", attempt " + attempt + ", " + durationMs + " ms"
                + (audioRef != null ? ", ref " + audioRef : ", " + audio.length + " bytes") + "]";
    }

    /**
     * Builds an {@link AudioChunk} by name. Unset: no device, encoding {@code pcm_s16le}, the default
     * chain ({@code fallbackProviders} {@code null}), attempt 1, no error, single mode, no key terms.
     */
    public static final class Builder extends RoutedChunkBuilder<Builder> {

        private byte[] audio;
        private String audioRef;
        private String encoding = AudioEncodings.PCM_S16LE;
        private int sampleRate;
        private long startMs;
        private long durationMs;
        private String policy;
        private String routeReason;
        private List<String> fallbackProviders;
        private String originalProvider;
        private List<ProviderError> errorHistory = List.of();
        private List<String> keyterms = List.of();

        private Builder() {
        }

        /** Raw PCM carried in the entry; exactly one of this and {@link #audioRef} is set. */
        public Builder audio(byte[] pcm) {
            this.audio = pcm;
            return this;
        }

        /** The chunk id of the blob holding the audio; exactly one of this and {@link #audio} is set. */
        public Builder audioRef(String ref) {
            this.audioRef = ref;
            return this;
        }

        public Builder encoding(String encoding) {
            this.encoding = encoding;
            return this;
        }

        public Builder sampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        public Builder startMs(long startMs) {
            this.startMs = startMs;
            return this;
        }

        public Builder durationMs(long durationMs) {
            this.durationMs = durationMs;
            return this;
        }

        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        public Builder routeReason(String routeReason) {
            this.routeReason = routeReason;
            return this;
        }

        /** Providers still to try, in order; {@code null} for the default chain. */
        public Builder fallbackProviders(List<String> fallbackProviders) {
            this.fallbackProviders = fallbackProviders;
            return this;
        }

        public Builder originalProvider(String originalProvider) {
            this.originalProvider = originalProvider;
            return this;
        }

        public Builder errorHistory(List<ProviderError> errorHistory) {
            this.errorHistory = errorHistory;
            return this;
        }

        public Builder keyterms(List<String> keyterms) {
            this.keyterms = keyterms;
            return this;
        }

        public AudioChunk build() {
            return new AudioChunk(chunkId, sessionId, deviceId, seq, audio, audioRef, encoding, sampleRate, startMs,
                    durationMs, language, policy, routeReason, fallbackProviders, attempt, originalProvider,
                    errorHistory, mode, consensusProviders, enqueuedAtMillis, traceparent, keyterms);
        }
    }
}
