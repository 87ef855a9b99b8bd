package dev.speechfleet.core.stream;

/** Field names of an entry on {@code transcription:hypotheses}. */
public final class HypothesisFields {
    public static final String V = "v";
    public static final String CHUNK_ID = "chunk_id";
    public static final String SESSION_ID = "session_id";
    public static final String DEVICE_ID = "device_id";
    public static final String SEQ = "seq";
    public static final String PROVIDER = "provider";
    /** {@link #OK} or {@link #FAILED}. */
    public static final String STATUS = "status";
    /** {@link #STATUS} of a transcript. */
    public static final String OK = "ok";
    /** {@link #STATUS} of a chunk whose chain failed. */
    public static final String FAILED = "failed";
    public static final String TEXT = "text";
    public static final String CONFIDENCE = "confidence";
    /** JSON array of {@code {"w":…,"s":…,"e":…,"c":…}} (word, start ms, end ms, confidence). */
    public static final String WORDS = "words";
    public static final String LANGUAGE = "language";
    public static final String MODEL = "model";
    public static final String START_MS = "start_ms";
    public static final String DURATION_MS = "duration_ms";
    public static final String PROCESSING_MS = "processing_ms";
    public static final String COST_USD = "cost_usd";
    public static final String ATTEMPT = "attempt";
    public static final String MODE = "mode";
    public static final String CONSENSUS_PROVIDERS = "consensus_providers";
    public static final String ENQUEUED_AT = "enqueued_at";
    public static final String PRODUCED_AT = "produced_at";
    /** Failed hypotheses only: why the chunk could not be transcribed. */
    public static final String ERROR = "error";
    public static final String TRACEPARENT = "traceparent";
    /**
     * Comma list of what the provider noticed about its result, for example
     * {@code hallucination:repetition}; absent when nothing.
     */
    public static final String FLAGS = "flags";

    private HypothesisFields() {
    }
}
