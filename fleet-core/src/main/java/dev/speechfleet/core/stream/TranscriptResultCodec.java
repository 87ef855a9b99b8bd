package dev.speechfleet.core.stream;

import static dev.speechfleet.core.stream.ResultFields.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** Encodes a {@link TranscriptResult} to stream fields and back; every field round-trips. */
public final class TranscriptResultCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TranscriptResultCodec() {
    }

    public static EntryFields encode(TranscriptResult r) {
        return EntryFields.create()
                .put(V, TranscriptResult.VERSION)
                .put(CHUNK_ID, r.chunkId())
                .put(SESSION_ID, r.sessionId())
                .put(DEVICE_ID, r.deviceId())
                .put(SEQ, r.seq())
                .put(STATUS, r.ok() ? "ok" : "error")
                .put(TEXT, r.text())
                .put(CONFIDENCE, r.confidence())
                .put(PROVIDER, r.provider())
                .putList(PROVIDERS, r.providers())
                .put(AGREEMENT, r.agreement())
                .put(WORDS, writeWords(r.words()))
                .put(START_MS, r.startMs())
                .put(END_MS, r.endMs())
                .put(LATENCY_MS, r.latencyMs())
                .put(COST_USD, r.costUsd())
                .put(MODE, r.mode().wire())
                .put(ERROR_CODE, r.errorCode())
                .put(ERROR, r.error())
                .put(PRODUCED_AT, r.producedAtMillis());
    }

    /**
     * Decodes an entry.
     *
     * @throws MalformedEntryException if a required field is missing or has the wrong form
     */
    public static TranscriptResult decode(EntryFields f) {
        String status = f.requiredString(STATUS);
        if (!status.equals("ok") && !status.equals("error")) {
            throw new MalformedEntryException("unknown status '" + status + "'");
        }
        List<String> providers = f.list(PROVIDERS);
        return new TranscriptResult(
                f.requiredString(CHUNK_ID),
                f.requiredString(SESSION_ID),
                f.string(DEVICE_ID, ""),
                f.requiredLong(SEQ),
                status.equals("ok"),
                f.string(TEXT, ""),
                f.doubleValue(CONFIDENCE, 0),
                f.string(PROVIDER, ""),
                providers == null ? List.of() : providers,
                f.doubleValue(AGREEMENT, 1),
                readWords(f.string(WORDS)),
                f.longValue(START_MS, 0),
                f.longValue(END_MS, 0),
                f.longValue(LATENCY_MS, 0),
                f.doubleValue(COST_USD, 0),
                ChunkMode.fromWire(f.string(MODE)),
                f.string(ERROR_CODE, ""),
                f.string(ERROR, ""),
                f.longValue(PRODUCED_AT, 0));
    }

    private static String writeWords(List<TranscriptResult.ResultWord> words) {
        ArrayNode array = JSON.createArrayNode();
        for (TranscriptResult.ResultWord w : words) {
            array.addObject().put("w", w.word()).put("s", w.startMs()).put("e", w.endMs()).put("c", w.confidence())
                    .put("p", w.provider());
        }
        return array.toString();
    }

    private static List<TranscriptResult.ResultWord> readWords(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(json);
            if (!array.isArray()) {
                throw new MalformedEntryException("words is not a JSON array");
            }
            List<TranscriptResult.ResultWord> words = new ArrayList<>(array.size());
            for (JsonNode w : array) {
                words.add(new TranscriptResult.ResultWord(w.path("w").asText(), w.path("s").asLong(),
                        w.path("e").asLong(), w.path("c").asDouble(-1), w.path("p").asText("")));
            }
            return words;
        } catch (JsonProcessingException e) {
            throw new MalformedEntryException("words is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
