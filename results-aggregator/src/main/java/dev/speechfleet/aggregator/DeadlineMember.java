package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.StreamKeys;
import java.util.Objects;

/**
 * How a chunk is named inside {@link StreamKeys#AGGREGATOR_DEADLINES}: {@code seq:session_id}.
 *
 * @param sessionId the chunk's session
 * @param seq       its sequence number
 */
record DeadlineMember(String sessionId, long seq) {

    DeadlineMember {
        Objects.requireNonNull(sessionId, "session id");
        if (!StreamKeys.isHashTaggable(sessionId)) {
            throw new IllegalArgumentException("session id must be non-blank and free of '{', '}': " + sessionId);
        }
    }

    /** The member string. */
    String encode() {
        return seq + ":" + sessionId;
    }

    /** The chunk a member names. */
    static DeadlineMember parse(String member) {
        int colon = member.indexOf(':');
        if (colon <= 0 || colon == member.length() - 1) {
            throw new IllegalArgumentException("not a deadline member: " + member);
        }
        try {
            return new DeadlineMember(member.substring(colon + 1), Long.parseLong(member.substring(0, colon)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a deadline member: " + member, e);
        }
    }
}
