package dev.speechfleet.router.session;

import java.util.OptionalLong;

/**
 * A session as kept in {@code session:{session_id}}.
 *
 * @param sessionId the session
 * @param deviceId  the device it belongs to
 * @param nextSeq   the seq its next utterance gets
 * @param ended     whether the device stopped it
 * @param audioMs   session audio dispatched (or silence) so far, where a resumed socket's clock starts
 * @param dispatching a seq that was taken but whose dispatch was never confirmed (its router stopped
 *                    in between); its audio is resent, so the seq itself is answered with an error
 */
public record StoredSession(String sessionId, String deviceId, long nextSeq, boolean ended, long audioMs,
        OptionalLong dispatching) {
}
