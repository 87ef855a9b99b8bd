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
        return EntryFields.forChunk(TranscriptResult.VERSION, r.chunkId(), r.sessionId(), r.deviceId(), r.seq())
                .put(STATUS, r.ok() ? OK : ERROR_STATUS)
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
                .put(PRODUCED_AT, r.producedAtMillis())
                .put(TRACEPARENT, r.traceparent());
    }

    /**
     * Decodes an entry.
     *
     * @throws MalformedEntryException if a required field is missing or has the wrong form
     */
    public static TranscriptResult decode(EntryFields f) {
        String status = f.requiredString(STATUS);
        if (!status.equals(OK) && !status.equals(ERROR_STATUS)) {
            throw new MalformedEntryException("unknown status '" + status + "'");
        }
        List<String> providers = f.list(PROVIDERS);
        return TranscriptResult.builder()
                .chunkId(f.requiredString(CHUNK_ID))
                .sessionId(f.requiredString(SESSION_ID))
                .deviceId(f.string(DEVICE_ID, ""))
                .seq(f.requiredLong(SEQ))
                .outcome(status.equals(OK), f.string(TEXT, ""), f.doubleValue(CONFIDENCE, 0), f.string(ERROR_CODE, ""),
                        f.string(ERROR, ""))
                .providers(f.string(PROVIDER, ""), providers == null ? List.of() : providers)
                .agreement(f.doubleValue(AGREEMENT, 1))
                .words(readWords(f.string(WORDS)))
                .span(f.longValue(START_MS, 0), f.longValue(END_MS, 0))
                .latencyMs(f.longValue(LATENCY_MS, 0))
                .costUsd(f.doubleValue(COST_USD, 0))
                .mode(ChunkMode.fromWire(f.string(MODE)))
                .producedAtMillis(f.longValue(PRODUCED_AT, 0))
                .traceparent(f.string(TRACEPARENT))
                .build();
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
