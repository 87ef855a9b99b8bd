package dev.speechfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A message from the router, as the device protocol v1 defines it (docs/protocol.md). */
public sealed interface ServerMessage {

    ObjectMapper JSON = new ObjectMapper();

    /** {@code ready}: the session is open; its audio up to {@code audioMs} is dispatched. */
    record Ready(String sessionId, boolean resumed, long audioMs) implements ServerMessage {
    }

    /** {@code transcript}: one utterance's text. */
    record Transcript(String id, long seq, String text, double confidence, String provider, long startMs,
            long endMs) implements ServerMessage {
    }

    /** {@code error}: with a {@code seq} when it stands for one utterance's result. */
    record Error(String code, String message, Long seq) implements ServerMessage {
    }

    /** A message type this client does not know; kept so that it can be reported. */
    record Other(String json) implements ServerMessage {
    }

    static ServerMessage parse(String json) throws IOException {
        JsonNode node = JSON.readTree(json);
        return switch (node.path("type").asText()) {
            case "ready" -> new Ready(node.path("session_id").asText(), node.path("resumed").asBoolean(),
                    node.path("audio_ms").asLong());
            case "transcript" -> new Transcript(node.path("id").asText(), node.path("seq").asLong(),
                    node.path("text").asText(), node.path("confidence").asDouble(), node.path("provider").asText(),
                    node.path("start_ms").asLong(), node.path("end_ms").asLong());
            case "error" -> new Error(node.path("code").asText(), node.path("message").asText(),
                    node.hasNonNull("seq") ? node.get("seq").asLong() : null);
            default -> new Other(json);
        };
    }
}
