package dev.speechfleet.router.session;

/**
 * A session as kept in {@code session:{session_id}}.
 *
 * @param sessionId the session
 * @param deviceId  the device it belongs to
 * @param nextSeq   the seq its next utterance gets
 * @param ended     whether the device stopped it
 * @param audioMs   session audio received up to the last socket's end, where a resumed socket's clock starts
 */
public record StoredSession(String sessionId, String deviceId, long nextSeq, boolean ended, long audioMs) {
}
