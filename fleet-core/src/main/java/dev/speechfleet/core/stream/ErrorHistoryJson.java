package dev.speechfleet.core.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code error_history} as a JSON array: {@code [{"provider":…,"kind":…,"message":…,"at":…}]}. */
final class ErrorHistoryJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, Object>>> LIST_OF_MAPS = new TypeReference<>() {
    };

    private ErrorHistoryJson() {
    }

    static String write(List<ProviderError> history) {
        List<Map<String, Object>> items = new ArrayList<>(history.size());
        for (ProviderError error : history) {
            items.add(Map.of("provider", error.provider(), "kind", error.kind().name(),
                    "message", error.message(), "at", error.atMillis()));
        }
        try {
            return JSON.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write error history", e);
        }
    }

    static List<ProviderError> read(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<ProviderError> history = new ArrayList<>();
            for (Map<String, Object> item : JSON.readValue(json, LIST_OF_MAPS)) {
                history.add(new ProviderError(
                        String.valueOf(item.get("provider")),
                        FailureKind.valueOf(String.valueOf(item.get("kind"))),
                        String.valueOf(item.getOrDefault("message", "")),
                        ((Number) item.getOrDefault("at", 0L)).longValue()));
            }
            return history;
        } catch (JsonProcessingException | IllegalArgumentException | ClassCastException e) {
            throw new MalformedEntryException("error_history is not a valid list: " + e.getMessage(), e);
        }
    }
}
