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
        long producedAtMillis) {

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

    /** A result built by name. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A result built by name. Unset: a transcript ({@code ok}) with empty text, agreement 1 (one
     * provider), single mode.
     */
    public static final class Builder {

        private String chunkId;
        private String sessionId;
        private String deviceId = "";
        private long seq;
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
        private ChunkMode mode = ChunkMode.SINGLE;
        private String errorCode = "";
        private String error = "";
        private long producedAtMillis;

        private Builder() {
        }

        /** Utterance {@code seq} of a session; its chunk id is {@code session_id:seq}. */
        public Builder utterance(String sessionId, String deviceId, long seq) {
            return chunkId(StreamKeys.chunkId(sessionId, seq)).sessionId(sessionId).deviceId(deviceId).seq(seq);
        }

        /** The chunk {@code h} answered for, and where it lies: id, session, device, seq, start and end. */
        public Builder of(Hypothesis h) {
            return chunkId(h.chunkId()).sessionId(h.sessionId()).deviceId(h.deviceId()).seq(h.seq())
                    .span(h.startMs(), h.startMs() + h.durationMs());
        }

        public Builder chunkId(String chunkId) {
            this.chunkId = chunkId;
            return this;
        }

        public Builder sessionId(String sessionId) {
            this.sessionId = sessionId;
            return this;
        }

        public Builder deviceId(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public Builder seq(long seq) {
            this.seq = seq;
            return this;
        }

        /** A transcript: its text and confidence (0..1). */
        public Builder transcript(String text, double confidence) {
            this.ok = true;
            this.text = text;
            this.confidence = confidence;
            return this;
        }

        /** An error result: {@code code} (for example {@link #TRANSCRIPTION_FAILED}) and why; no agreement. */
        public Builder failed(String code, String reason) {
            this.ok = false;
            this.errorCode = code;
            this.error = reason;
            this.agreement = 0;
            return this;
        }

        /** Whether there is a transcript, as read from an entry; {@link #transcript} and {@link #failed} say it. */
        public Builder ok(boolean ok) {
            this.ok = ok;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder confidence(double confidence) {
            this.confidence = confidence;
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

        public Builder mode(ChunkMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder errorCode(String errorCode) {
            this.errorCode = errorCode;
            return this;
        }

        public Builder error(String error) {
            this.error = error;
            return this;
        }

        public Builder producedAtMillis(long producedAtMillis) {
            this.producedAtMillis = producedAtMillis;
            return this;
        }

        public TranscriptResult build() {
            return new TranscriptResult(chunkId, sessionId, deviceId, seq, ok, text, confidence, provider, providers,
                    agreement, words, startMs, endMs, latencyMs, costUsd, mode, errorCode, error, producedAtMillis);
        }
    }
}
