package dev.speechfleet.core.stream;

import java.util.List;
import java.util.Objects;

/**
 * One provider's answer for one chunk: an entry of {@code transcription:hypotheses}. A failed
 * hypothesis ({@code ok == false}) says that the chunk's whole chain failed, so that the device gets
 * an error result for its {@code seq}.
 *
 * @param chunkId            the chunk
 * @param sessionId          its session
 * @param deviceId           its device
 * @param seq                its position in the session
 * @param provider           who answered (for a failed hypothesis: the last provider tried)
 * @param ok                 whether there is a transcript
 * @param text               the transcript, empty when failed or silent
 * @param confidence         0..1
 * @param words              word timings when the provider gives them
 * @param language           language of the transcript
 * @param model              provider model that ran, or empty
 * @param startMs            chunk start within the session
 * @param durationMs         chunk length
 * @param processingMs       time the provider call took
 * @param costUsd            what the provider charges for the chunk
 * @param attempt            the chunk's attempt number when this was produced
 * @param mode               single or consensus
 * @param consensusProviders providers a consensus chunk was fanned out to
 * @param enqueuedAtMillis   when the router first enqueued the chunk
 * @param producedAtMillis   when this hypothesis was written
 * @param error              why the chunk failed; empty when ok
 * @param traceparent        W3C trace context, or {@code null}
 * @param flags              what the provider noticed about its result (for example a withheld Whisper
 *                           hallucination); empty normally
 */
public record Hypothesis(
        String chunkId,
        String sessionId,
        String deviceId,
        long seq,
        String provider,
        boolean ok,
        String text,
        double confidence,
        List<WordTiming> words,
        String language,
        String model,
        long startMs,
        long durationMs,
        long processingMs,
        double costUsd,
        int attempt,
        ChunkMode mode,
        List<String> consensusProviders,
        long enqueuedAtMillis,
        long producedAtMillis,
        String error,
        String traceparent,
        List<String> flags) {

    public static final int VERSION = 1;

    public Hypothesis {
        flags = flags == null ? List.of() : List.copyOf(flags);
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(provider, "provider");
        text = text == null ? "" : text;
        words = words == null ? List.of() : List.copyOf(words);
        language = language == null ? "" : language;
        model = model == null ? "" : model;
        mode = mode == null ? ChunkMode.SINGLE : mode;
        consensusProviders = consensusProviders == null ? List.of() : List.copyOf(consensusProviders);
        error = error == null ? "" : error;
        if (confidence < 0 || confidence > 1 || Double.isNaN(confidence)) {
            throw new IllegalArgumentException("confidence must be within 0..1: " + confidence);
        }
    }

    /** A hypothesis built by name. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A hypothesis built by name. Unset: a transcript ({@code ok}) with empty text and confidence 0,
     * attempt 1, single mode, nothing flagged.
     */
    public static final class Builder extends RoutedChunkBuilder<Builder> {

        private String provider;
        private boolean ok = true;
        private String text = "";
        private double confidence;
        private List<WordTiming> words = List.of();
        private String model = "";
        private long startMs;
        private long durationMs;
        private long processingMs;
        private double costUsd;
        private long producedAtMillis;
        private String error = "";
        private List<String> flags = List.of();

        private Builder() {
        }

        /**
         * What the hypothesis says about {@code chunk}: its id, session, device and seq, where it lies,
         * its language, attempt, mode, consensus partners, enqueue time and trace context.
         */
        public Builder of(AudioChunk chunk) {
            return chunkId(chunk.chunkId()).sessionId(chunk.sessionId()).deviceId(chunk.deviceId()).seq(chunk.seq())
                    .language(chunk.language()).timing(chunk.startMs(), chunk.durationMs()).attempt(chunk.attempt())
                    .mode(chunk.mode()).consensusProviders(chunk.consensusProviders())
                    .enqueuedAtMillis(chunk.enqueuedAtMillis()).traceparent(chunk.traceparent());
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        /** A transcript: its text, confidence (0..1) and word timings (may be empty). */
        public Builder transcript(String text, double confidence, List<WordTiming> words) {
            return outcome(true, text, confidence, words, "");
        }

        /** No transcript: the chunk's chain failed, for {@code error}. */
        public Builder failed(String error) {
            return outcome(false, "", 0, List.of(), error);
        }

        /** The answer as an entry states it: whether there is a transcript, the transcript, and the error. */
        public Builder outcome(boolean ok, String text, double confidence, List<WordTiming> words, String error) {
            this.ok = ok;
            this.text = text;
            this.confidence = confidence;
            this.words = words;
            this.error = error;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Where the chunk lies in its session. */
        public Builder timing(long startMs, long durationMs) {
            this.startMs = startMs;
            this.durationMs = durationMs;
            return this;
        }

        /** What producing it took: the provider call's time and its price. */
        public Builder cost(long processingMs, double costUsd) {
            this.processingMs = processingMs;
            this.costUsd = costUsd;
            return this;
        }

        public Builder producedAtMillis(long producedAtMillis) {
            this.producedAtMillis = producedAtMillis;
            return this;
        }

        public Builder flags(List<String> flags) {
            this.flags = flags;
            return this;
        }

        public Hypothesis build() {
            return new Hypothesis(chunkId, sessionId, deviceId, seq, provider, ok, text, confidence, words, language,
                    model, startMs, durationMs, processingMs, costUsd, attempt, mode, consensusProviders,
                    enqueuedAtMillis, producedAtMillis, error, traceparent, flags);
        }
    }
}
