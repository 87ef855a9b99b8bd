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
}
