package dev.speechfleet.router.session;

/**
 * A session as kept in {@code session:{session_id}}.
 *
 * @param sessionId the session
 * @param deviceId  the device it belongs to
 * @param nextSeq   the seq its next utterance gets
 * @param ended     whether the device stopped it
 */
public record StoredSession(String sessionId, String deviceId, long nextSeq, boolean ended) {
}
