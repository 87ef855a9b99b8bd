package dev.speechfleet.router.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speechfleet.core.stream.TranscriptResult;

/** The JSON text of every server message (protocol v1). */
public final class ServerMessages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerMessages() {
    }

    /**
     * The answer to {@code start}; {@code audioMs} is the session audio up to which everything is
     * dispatched, where a resuming device resends from.
     */
    public static String ready(String sessionId, boolean resumed, long audioMs) {
        return JSON.createObjectNode().put("type", "ready").put("session_id", sessionId).put("resumed", resumed)
                .put("audio_ms", audioMs).toString();
    }

    /** Session audio from {@code fromMs} to {@code toMs} was never received and is not transcribed. */
    public static String audioGap(long fromMs, long toMs) {
        return errorNode(ProtocolError.AUDIO_GAP, "session audio from " + fromMs + " ms to " + toMs
                + " ms was not received before the resume and is not transcribed").put("from_ms", fromMs)
                .put("to_ms", toMs).toString();
    }

    /** A transcript; {@code id} is the id of the result entry it comes from. */
    public static String transcript(String entryId, TranscriptResult r) {
        return JSON.createObjectNode().put("type", "transcript").put("id", entryId).put("seq", r.seq())
                .put("text", r.text()).put("confidence", r.confidence()).put("provider", r.provider())
                .put("start_ms", r.startMs()).put("end_ms", r.endMs()).toString();
    }

    public static String error(ProtocolError error, String message) {
        return errorNode(error, message).toString();
    }

    /** An error about one utterance: the device counts its {@code seq} as answered. */
    public static String error(ProtocolError error, String message, long seq) {
        return errorNode(error, message).put("seq", seq).toString();
    }

    private static ObjectNode errorNode(ProtocolError error, String message) {
        return JSON.createObjectNode().put("type", "error").put("code", error.code()).put("message", message);
    }
}
