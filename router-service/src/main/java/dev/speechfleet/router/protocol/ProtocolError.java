package dev.speechfleet.router.protocol;

import java.util.OptionalInt;

/**
 * Every error the router sends in an {@code error} message, with the WebSocket close code that
 * follows it when the session cannot go on (documented in docs/protocol.md).
 */
public enum ProtocolError {
    /** A text message that is not JSON, or not a JSON object with a string {@code type}. */
    MALFORMED_JSON("malformed_json", 0),
    /** A JSON message whose {@code type} the protocol does not have. */
    UNKNOWN_TYPE("unknown_type", 0),
    /** A text message longer than the limit; it is ignored. */
    MESSAGE_TOO_LARGE("message_too_large", 0),
    /** Audio, {@code flush} or {@code stop} before {@code start}; ignored. */
    NOT_STARTED("not_started", 0),
    /** A second {@code start} on a started socket; ignored. */
    ALREADY_STARTED("already_started", 0),
    /** A binary frame that is not whole 16-bit samples; it is dropped. */
    INVALID_FRAME("invalid_frame", 0),
    /** A binary message of an {@code opus} session that is not a decodable Opus packet; it is dropped. */
    INVALID_PACKET("invalid_packet", 0),
    /** An utterance whose whole provider chain failed: carries its {@code seq}. */
    TRANSCRIPTION_FAILED("transcription_failed", 0),
    /** An utterance whose result did not arrive within the hold time while later ones did: carries its {@code seq}. */
    RESULT_MISSING("result_missing", 0),
    /**
     * A resumed socket's audio starts later than the session's dispatched audio and the device
     * cannot resend the rest: carries {@code from_ms} and {@code to_ms}; the session goes on.
     */
    AUDIO_GAP("audio_gap", 0),
    /** A {@code start} with a missing or invalid field (language, policy, consensus, last_seq…). */
    INVALID_START("invalid_start", 4400),
    /** The device's token was revoked while the socket was open. */
    DEVICE_REVOKED("device_revoked", 4401),
    /**
     * A {@code start} asking for a provider the device may not use, a consensus over more providers than the
     * fan-out cap, or a language none of the device's providers serves.
     */
    PROVIDER_NOT_ALLOWED("provider_not_allowed", 4403),
    /** A resume of a session that does not exist (expired) or belongs to another device. */
    UNKNOWN_SESSION("unknown_session", 4404),
    /** Nothing received for longer than the idle limit. */
    IDLE_TIMEOUT("idle_timeout", 4408),
    /** The device already has as many open sessions as it may. */
    TOO_MANY_SESSIONS("too_many_sessions", 4409),
    /** The session reached its maximum duration. */
    MAX_DURATION("max_duration", 4410),
    /** The same session was resumed on another socket; this one is closed. */
    SESSION_REPLACED("session_replaced", 4411),
    /** A binary frame longer than the frame limit. */
    FRAME_TOO_LARGE("frame_too_large", 4413),
    /** An encoding other than {@code pcm_s16le} or {@code opus}, or one that cannot carry the sample rate. */
    UNSUPPORTED_ENCODING("unsupported_encoding", 4415),
    /** A sample rate the router does not accept. */
    UNSUPPORTED_SAMPLE_RATE("unsupported_sample_rate", 4416),
    /** The device stopped reading: its bounded outbox stayed full past the limit (its results stay resumable). */
    SLOW_READER("slow_reader", 4420),
    /** Audio arriving much faster than real time. */
    TOO_FAST("too_fast", 4429),
    /** The router cannot reach Redis; reconnect and resume later. */
    UNAVAILABLE("unavailable", 4503);

    private final String code;
    private final int closeCode;

    ProtocolError(String code, int closeCode) {
        this.code = code;
        this.closeCode = closeCode;
    }

    /** The {@code code} field of the error message. */
    public String code() {
        return code;
    }

    /** The close code that follows the message, empty when the session goes on. */
    public OptionalInt closeCode() {
        return closeCode == 0 ? OptionalInt.empty() : OptionalInt.of(closeCode);
    }
}
