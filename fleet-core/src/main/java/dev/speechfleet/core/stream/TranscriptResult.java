package dev.speechfleet.core.stream;

import java.util.List;
import java.util.Objects;

/**
 * The one final result of a chunk: an entry of {@code transcription:results:{session_id}} (what the
 * router sends to the device) and of {@code transcription:results:all}.
 *
 * @param chunkId          the chunk
 * @param sessionId        its session
 * @param deviceId         its device
 * @param seq              its position in the session
 * @param ok               transcript ({@code true}) or error result
 * @param text             the transcript
 * @param confidence       0..1
 * @param provider         the provider used, or {@code consensus}
 * @param providers        every provider whose hypothesis went into the result
 * @param agreement        consensus agreement 0..1; 1 in single mode
 * @param words            words with timings and, in consensus, the provider that won each
 * @param startMs          chunk start within the session
 * @param endMs            chunk end within the session
 * @param latencyMs        router enqueue to result
 * @param costUsd          total provider cost of the chunk
 * @param mode             single or consensus
 * @param errorCode        error results: stable code; empty when ok
 * @param error            error results: reason; empty when ok
 * @param producedAtMillis when the result was written
 * @param traceparent      W3C trace context of the aggregator's span (ADR 0075), or {@code null}
 */
public record TranscriptResult(
        String chunkId,
        String sessionId,
        String deviceId,
        long seq,
        boolean ok,
        String text,
        double confidence,
        String provider,
        List<String> providers,
        double agreement,
        List<ResultWord> words,
        long startMs,
        long endMs,
        long latencyMs,
        double costUsd,
        ChunkMode mode,
        String errorCode,
        String error,
        long producedAtMillis,
        String traceparent) {

    public static final int VERSION = 1;

    /** Error code of a chunk whose whole provider chain failed. */
    public static final String TRANSCRIPTION_FAILED = "transcription_failed";
    /** {@link ResultFields#PROVIDER} of a result combined from several providers, or of a failed consensus. */
    public static final String CONSENSUS_PROVIDER = "consensus";

    /**
     * A word of the result.
     *
     * @param word       the word
     * @param startMs    start within the chunk
     * @param endMs      end within the chunk
     * @param confidence 0..1, negative when unknown
     * @param provider   the provider whose word won (consensus), or the single provider
     */
    public record ResultWord(String word, long startMs, long endMs, double confidence, String provider) {
    }

    public TranscriptResult {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(sessionId, "sessionId");
        deviceId = deviceId == null ? "" : deviceId;
        text = text == null ? "" : text;
        provider = provider == null ? "" : provider;
        providers = providers == null ? List.of() : List.copyOf(providers);
        words = words == null ? List.of() : List.copyOf(words);
        mode = mode == null ? ChunkMode.SINGLE : mode;
        errorCode = errorCode == null ? "" : errorCode;
        error = error == null ? "" : error;
    }

    /** This result carrying {@code traceparent} instead. */
    public TranscriptResult withTraceparent(String traceparent) {
        return new TranscriptResult(chunkId, sessionId, deviceId, seq, ok, text, confidence, provider, providers,
                agreement, words, startMs, endMs, latencyMs, costUsd, mode, errorCode, error, producedAtMillis,
                traceparent);
    }

    /** A result built by name. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A result built by name. Unset: a transcript ({@code ok}) with empty text, agreement 1 (one
     * provider), single mode.
     */
    public static final class Builder extends ChunkBuilder<Builder> {

        private boolean ok = true;
        private String text = "";
        private double confidence;
        private String provider = "";
        private List<String> providers = List.of();
        private double agreement = 1;
        private List<ResultWord> words = List.of();
        private long startMs;
        private long endMs;
        private long latencyMs;
        private double costUsd;
        private String errorCode = "";
        private String error = "";
        private long producedAtMillis;
        private String traceparent;

        private Builder() {
        }

        /**
         * The chunk {@code h} answered for, and where it lies: id, session, device, seq, start and end;
         * and the trace it belongs to.
         */
        public Builder of(Hypothesis h) {
            return chunkId(h.chunkId()).sessionId(h.sessionId()).deviceId(h.deviceId()).seq(h.seq())
                    .span(h.startMs(), h.startMs() + h.durationMs()).traceparent(h.traceparent());
        }

        /** A transcript: its text and confidence (0..1). */
        public Builder transcript(String text, double confidence) {
            return outcome(true, text, confidence, "", "");
        }

        /** An error result: {@code code} (for example {@link #TRANSCRIPTION_FAILED}) and why; no agreement. */
        public Builder failed(String code, String reason) {
            this.agreement = 0;
            return outcome(false, "", 0, code, reason);
        }

        /** The result as an entry states it: transcript or error, text and confidence, the error's code and reason. */
        public Builder outcome(boolean ok, String text, double confidence, String errorCode, String error) {
            this.ok = ok;
            this.text = text;
            this.confidence = confidence;
            this.errorCode = errorCode;
            this.error = error;
            return this;
        }

        /** The provider the result names, and every provider whose hypothesis went into it. */
        public Builder providers(String provider, List<String> providers) {
            this.provider = provider;
            this.providers = providers;
            return this;
        }

        public Builder agreement(double agreement) {
            this.agreement = agreement;
            return this;
        }

        public Builder words(List<ResultWord> words) {
            this.words = words;
            return this;
        }

        /** Where the chunk lies in its session. */
        public Builder span(long startMs, long endMs) {
            this.startMs = startMs;
            this.endMs = endMs;
            return this;
        }

        public Builder latencyMs(long latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder costUsd(double costUsd) {
            this.costUsd = costUsd;
            return this;
        }

        public Builder producedAtMillis(long producedAtMillis) {
            this.producedAtMillis = producedAtMillis;
            return this;
        }

        /** The W3C trace context the result carries, {@code null} for none. */
        public Builder traceparent(String traceparent) {
            this.traceparent = traceparent;
            return this;
        }

        public TranscriptResult build() {
            return new TranscriptResult(chunkId, sessionId, deviceId, seq, ok, text, confidence, provider, providers,
                    agreement, words, startMs, endMs, latencyMs, costUsd, mode, errorCode, error, producedAtMillis,
                    traceparent);
        }
    }
}
