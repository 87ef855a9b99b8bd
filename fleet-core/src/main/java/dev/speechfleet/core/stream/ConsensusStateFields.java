package dev.speechfleet.core.stream;

/**
 * Field names of an {@code aggregator:chunk:{session_id}:seq} hash: what a consensus chunk collected
 * (ADR 0040), written and read by the results aggregator only. Scripts name the fields through
 * {@link #LUA_LOCALS}.
 */
public final class ConsensusStateFields {
    /** Prefix of a provider's field, {@code h:<provider>}: its first hypothesis as JSON. */
    public static final String HYPOTHESIS_PREFIX = "h:";
    /** Epoch ms at which the chunk is decided with what it has. */
    public static final String DEADLINE = "deadline";
    /** Epoch ms up to which a chunk holding only failures waits for its missing providers. */
    public static final String HARD_DEADLINE = "hard_deadline";

    /** Lua locals naming the fields a script writes: {@code DEADLINE}, {@code HARD_DEADLINE}. */
    public static final String LUA_LOCALS = "local DEADLINE, HARD_DEADLINE = '%s', '%s'\n"
            .formatted(DEADLINE, HARD_DEADLINE);

    private ConsensusStateFields() {
    }

    /** The field holding {@code provider}'s hypothesis. */
    public static String hypothesis(String provider) {
        return HYPOTHESIS_PREFIX + provider;
    }
}
