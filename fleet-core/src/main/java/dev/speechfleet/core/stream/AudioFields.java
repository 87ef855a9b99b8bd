package dev.speechfleet.core.stream;

/** Field names of an entry on {@code audio:stream:{provider}} and {@code transcription:dead} (DESIGN.md section 3). */
public final class AudioFields {
    public static final String V = "v";
    public static final String CHUNK_ID = "chunk_id";
    public static final String SESSION_ID = "session_id";
    public static final String DEVICE_ID = "device_id";
    public static final String SEQ = "seq";
    public static final String AUDIO = "audio";
    public static final String AUDIO_REF = "audio_ref";
    public static final String ENCODING = "encoding";
    public static final String SAMPLE_RATE = "sample_rate";
    public static final String START_MS = "start_ms";
    public static final String DURATION_MS = "duration_ms";
    public static final String LANGUAGE = "language";
    public static final String POLICY = "policy";
    public static final String ROUTE_REASON = "route_reason";
    public static final String FALLBACK_PROVIDERS = "fallback_providers";
    public static final String ATTEMPT = "attempt";
    public static final String ORIGINAL_PROVIDER = "original_provider";
    public static final String ERROR_HISTORY = "error_history";
    public static final String MODE = "mode";
    /** Providers a consensus chunk was fanned out to (comma list); empty in single mode. */
    public static final String CONSENSUS_PROVIDERS = "consensus_providers";
    public static final String ENQUEUED_AT = "enqueued_at";
    public static final String TRACEPARENT = "traceparent";
    /** The session's key terms, a JSON array of strings; absent when there are none (ADR 0026). */
    public static final String KEYTERMS = "keyterms";
    /** Dead-letter only: the provider whose failure exhausted the chain. */
    public static final String FAILED_PROVIDER = "failed_provider";
    /** Dead-letter only: why the chunk was given up. */
    public static final String FINAL_ERROR = "final_error";
    /** Dead-letter only: epoch millis when the chunk was given up. */
    public static final String DEAD_AT = "dead_at";

    private AudioFields() {
    }
}
