package dev.speechfleet.router.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.stream.AudioEncodings;
import dev.speechfleet.core.stream.Keyterms;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Parses device text messages; anything malformed becomes a {@link ProtocolViolation}. */
public final class ClientMessageParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientMessageParser() {
    }

    public static ClientMessage parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolViolation(ProtocolError.MALFORMED_JSON, "message is not valid JSON");
        }
        if (node == null || !node.isObject() || !node.path("type").isTextual()) {
            throw new ProtocolViolation(ProtocolError.MALFORMED_JSON, "message must be a JSON object with a string 'type'");
        }
        String type = node.get("type").asText();
        return switch (type) {
            case "start" -> start(node);
            case "flush" -> new ClientMessage.Flush();
            case "stop" -> new ClientMessage.Stop();
            default -> throw new ProtocolViolation(ProtocolError.UNKNOWN_TYPE,
                    "unknown message type '" + abbreviate(type) + "' (expected start, flush or stop)");
        };
    }

    private static ClientMessage.Start start(JsonNode node) {
        return new ClientMessage.Start(optionalText(node, "session_id"), optionalSeq(node), sampleRate(node),
                text(node, "encoding", AudioEncodings.PCM_S16LE), text(node, "language", "en"), optionalText(node, "policy"),
                consensus(node), keyterms(node), optionalAudioMs(node));
    }

    private static OptionalLong optionalAudioMs(JsonNode node) {
        JsonNode ms = node.get("audio_ms");
        if (ms == null || ms.isNull()) {
            return OptionalLong.empty();
        }
        if (!ms.isIntegralNumber() || !ms.canConvertToLong() || ms.longValue() < 0) {
            throw invalid("audio_ms must be an integer of at least 0");
        }
        return OptionalLong.of(ms.longValue());
    }

    /** {@code keyterms}: an array of short phrases, bounded and tidied by {@link Keyterms#validate}. */
    private static List<String> keyterms(JsonNode node) {
        JsonNode list = node.get("keyterms");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid("keyterms must be an array of phrases");
        }
        if (list.size() > Keyterms.MAX_TERMS * 2) {
            throw invalid("keyterms holds " + list.size() + " entries; at most " + Keyterms.MAX_TERMS);
        }
        List<String> phrases = new ArrayList<>(list.size());
        for (JsonNode phrase : list) {
            if (!phrase.isTextual()) {
                throw invalid("keyterms must be an array of phrases");
            }
            phrases.add(phrase.asText());
        }
        try {
            return Keyterms.validate(phrases);
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private static int sampleRate(JsonNode node) {
        JsonNode rate = node.get("sample_rate");
        if (rate == null || rate.isNull()) {
            return 16000;
        }
        if (!rate.canConvertToInt() || !rate.isIntegralNumber()) {
            throw invalid("sample_rate must be an integer");
        }
        return rate.intValue();
    }

    private static OptionalLong optionalSeq(JsonNode node) {
        JsonNode seq = node.get("last_seq");
        if (seq == null || seq.isNull()) {
            return OptionalLong.empty();
        }
        if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.longValue() < -1) {
            throw invalid("last_seq must be an integer of at least -1");
        }
        return OptionalLong.of(seq.longValue());
    }

    private static List<String> consensus(JsonNode node) {
        JsonNode list = node.get("consensus");
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw invalid("consensus must be an array of provider names");
        }
        List<String> providers = new ArrayList<>();
        for (JsonNode p : list) {
            if (!p.isTextual()) {
                throw invalid("consensus must be an array of provider names");
            }
            if (!providers.contains(p.asText())) {
                providers.add(p.asText());
            }
        }
        return providers;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return optionalText(node, field).orElse(fallback);
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(field + " must be a non-empty string");
        }
        return Optional.of(value.asText());
    }

    private static ProtocolViolation invalid(String message) {
        return new ProtocolViolation(ProtocolError.INVALID_START, message);
    }

    private static String abbreviate(String value) {
        return value.length() <= 32 ? value : value.substring(0, 32) + "…";
    }
}
