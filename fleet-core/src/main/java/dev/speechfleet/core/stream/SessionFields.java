package dev.speechfleet.core.stream;

/**
 * Field names and values of the {@code session:{session_id}} hash (docs/streams.md), written and read
 * by the router only. Scripts name the fields through {@link #LUA_LOCALS}.
 */
public final class SessionFields {
    /** The device the session belongs to; a seq is only taken from a hash that has it. */
    public static final String DEVICE_ID = "device_id";
    /** {@link #ACTIVE} or {@link #ENDED}. */
    public static final String STATUS = "status";
    /** The seq the session's next utterance gets, taken atomically. */
    public static final String NEXT_SEQ = "next_seq";
    /** The seq whose entries are being written; cleared when its position is confirmed. */
    public static final String DISPATCHING = "dispatching";
    /** Session audio (ms) up to which everything is dispatched or was silence. */
    public static final String AUDIO_MS = "audio_ms";
    public static final String SAMPLE_RATE = "sample_rate";
    public static final String ENCODING = "encoding";
    public static final String LANGUAGE = "language";
    public static final String POLICY = "policy";
    /** Comma list of the providers of a consensus session; empty otherwise. */
    public static final String CONSENSUS = "consensus";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    /** Only when the router wrote back a session Redis had lost. */
    public static final String RECREATED_AT = "recreated_at";

    /** {@link #STATUS} of a session whose device has not sent {@code stop}. */
    public static final String ACTIVE = "active";
    /** {@link #STATUS} after {@code stop}; the session stays resumable for replay until its TTL. */
    public static final String ENDED = "ended";

    /** Lua locals naming the fields a script reads or changes: {@code DEVICE_ID}, {@code NEXT_SEQ}, … */
    public static final String LUA_LOCALS = """
            local DEVICE_ID, NEXT_SEQ, DISPATCHING, AUDIO_MS = '%s', '%s', '%s', '%s'
            """.formatted(DEVICE_ID, NEXT_SEQ, DISPATCHING, AUDIO_MS);

    private SessionFields() {
    }
}
