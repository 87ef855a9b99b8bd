package dev.speechfleet.core.stream;

/** Field names of an entry on {@code transcription:results:{session_id}} and {@code transcription:results:all}. */
public final class ResultFields {
    public static final String V = "v";
    public static final String CHUNK_ID = "chunk_id";
    public static final String SESSION_ID = "session_id";
    public static final String DEVICE_ID = "device_id";
    public static final String SEQ = "seq";
    /** {@link #OK} or {@link #ERROR_STATUS}. */
    public static final String STATUS = "status";
    /** {@link #STATUS} of a transcript. */
    public static final String OK = "ok";
    /** {@link #STATUS} of an error result. */
    public static final String ERROR_STATUS = "error";
    public static final String TEXT = "text";
    public static final String CONFIDENCE = "confidence";
    /** The provider whose transcript was used (single mode), or {@code consensus}. */
    public static final String PROVIDER = "provider";
    /** Every provider whose hypothesis went into the result (comma list). */
    public static final String PROVIDERS = "providers";
    /** Consensus only: share of word slots on which the providers agreed, 0..1. */
    public static final String AGREEMENT = "agreement";
    /** JSON array of {@code {"w":…,"s":…,"e":…,"c":…,"p":…}}; {@code p} is the provider that won the word. */
    public static final String WORDS = "words";
    public static final String START_MS = "start_ms";
    public static final String END_MS = "end_ms";
    /** From the router's enqueue to the result being written. */
    public static final String LATENCY_MS = "latency_ms";
    /** Sum of what every provider charged for the chunk. */
    public static final String COST_USD = "cost_usd";
    public static final String MODE = "mode";
    /** Error results only: a stable code, for example {@code transcription_failed}. */
    public static final String ERROR_CODE = "error_code";
    /** Error results only: a human-readable reason. */
    public static final String ERROR = "error";
    public static final String PRODUCED_AT = "produced_at";
    /** W3C trace context of the aggregator's span; absent when tracing is off and nothing came in. */
    public static final String TRACEPARENT = "traceparent";

    private ResultFields() {
    }
}
