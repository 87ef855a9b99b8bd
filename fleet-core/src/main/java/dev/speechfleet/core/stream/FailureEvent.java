package dev.speechfleet.core.stream;

import java.util.Objects;

/**
 * One failed provider attempt: an entry of {@code transcription:failures}.
 *
 * @param chunkId      the chunk
 * @param sessionId    its session
 * @param provider     the provider that failed
 * @param attempt      the chunk's attempt number
 * @param kind         how the failure was classified
 * @param error        the reason
 * @param action       what the worker did: {@code rerouted} or {@code dead}
 * @param nextProvider where the chunk went next; empty when dead
 * @param atMillis     epoch millis
 */
public record FailureEvent(String chunkId, String sessionId, String provider, int attempt, FailureKind kind,
        String error, String action, String nextProvider, long atMillis) {

    public static final String FIELD_CHUNK_ID = "chunk_id";
    public static final String FIELD_SESSION_ID = "session_id";
    public static final String FIELD_PROVIDER = "provider";
    public static final String FIELD_ATTEMPT = "attempt";
    public static final String FIELD_KIND = "kind";
    public static final String FIELD_ERROR = "error";
    public static final String FIELD_ACTION = "action";
    public static final String FIELD_NEXT_PROVIDER = "next_provider";
    public static final String FIELD_AT = "at";

    public static final String ACTION_REROUTED = "rerouted";
    public static final String ACTION_DEAD = "dead";

    public FailureEvent {
        Objects.requireNonNull(chunkId, "chunkId");
        Objects.requireNonNull(kind, "kind");
        nextProvider = nextProvider == null ? "" : nextProvider;
        sessionId = sessionId == null ? "" : sessionId;
    }

    public EntryFields encode() {
        return EntryFields.create()
                .put(FIELD_CHUNK_ID, chunkId)
                .put(FIELD_SESSION_ID, sessionId)
                .put(FIELD_PROVIDER, provider)
                .put(FIELD_ATTEMPT, attempt)
                .put(FIELD_KIND, kind.name())
                .put(FIELD_ERROR, error)
                .put(FIELD_ACTION, action)
                .put(FIELD_NEXT_PROVIDER, nextProvider)
                .put(FIELD_AT, atMillis);
    }

    public static FailureEvent decode(EntryFields f) {
        try {
            return new FailureEvent(f.requiredString(FIELD_CHUNK_ID), f.string(FIELD_SESSION_ID, ""),
                    f.requiredString(FIELD_PROVIDER), (int) f.longValue(FIELD_ATTEMPT, 1),
                    FailureKind.valueOf(f.requiredString(FIELD_KIND)), f.string(FIELD_ERROR, ""),
                    f.requiredString(FIELD_ACTION), f.string(FIELD_NEXT_PROVIDER, ""), f.longValue(FIELD_AT, 0));
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(e.getMessage(), e);
        }
    }
}
