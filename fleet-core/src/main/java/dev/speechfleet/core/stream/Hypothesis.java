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

    /** A hypothesis with nothing flagged. */
    public Hypothesis(String chunkId, String sessionId, String deviceId, long seq, String provider, boolean ok,
            String text, double confidence, List<WordTiming> words, String language, String model, long startMs,
            long durationMs, long processingMs, double costUsd, int attempt, ChunkMode mode,
            List<String> consensusProviders, long enqueuedAtMillis, long producedAtMillis, String error,
            String traceparent) {
        this(chunkId, sessionId, deviceId, seq, provider, ok, text, confidence, words, language, model, startMs,
                durationMs, processingMs, costUsd, attempt, mode, consensusProviders, enqueuedAtMillis,
                producedAtMillis, error, traceparent, List.of());
    }

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
}
