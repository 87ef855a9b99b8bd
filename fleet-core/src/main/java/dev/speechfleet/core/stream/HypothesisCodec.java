package dev.speechfleet.core.stream;

import static dev.speechfleet.core.stream.HypothesisFields.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.List;

/** Encodes a {@link Hypothesis} to stream fields and back; every field round-trips. */
public final class HypothesisCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HypothesisCodec() {
    }

    public static EntryFields encode(Hypothesis h) {
        return EntryFields.forChunk(Hypothesis.VERSION, h.chunkId(), h.sessionId(), h.deviceId(), h.seq())
                .put(PROVIDER, h.provider())
                .put(STATUS, h.ok() ? OK : FAILED)
                .put(TEXT, h.text())
                .put(CONFIDENCE, h.confidence())
                .put(WORDS, writeWords(h.words()))
                .put(LANGUAGE, h.language())
                .put(MODEL, h.model())
                .put(START_MS, h.startMs())
                .put(DURATION_MS, h.durationMs())
                .put(PROCESSING_MS, h.processingMs())
                .put(COST_USD, h.costUsd())
                .put(ATTEMPT, h.attempt())
                .put(MODE, h.mode().wire())
                .putList(CONSENSUS_PROVIDERS, h.consensusProviders())
                .put(ENQUEUED_AT, h.enqueuedAtMillis())
                .put(PRODUCED_AT, h.producedAtMillis())
                .put(ERROR, h.error())
                .put(TRACEPARENT, h.traceparent())
                .putList(FLAGS, h.flags().isEmpty() ? null : h.flags());
    }

    /**
     * Decodes an entry.
     *
     * @throws MalformedEntryException if a required field is missing or has the wrong form
     */
    public static Hypothesis decode(EntryFields f) {
        String status = f.requiredString(STATUS);
        if (!status.equals(OK) && !status.equals(FAILED)) {
            throw new MalformedEntryException("unknown status '" + status + "'");
        }
        List<String> consensus = f.list(CONSENSUS_PROVIDERS);
        try {
            return Hypothesis.builder()
                    .chunkId(f.requiredString(CHUNK_ID))
                    .sessionId(f.requiredString(SESSION_ID))
                    .deviceId(f.string(DEVICE_ID, ""))
                    .seq(f.requiredLong(SEQ))
                    .provider(f.requiredString(PROVIDER))
                    .outcome(status.equals(OK), f.string(TEXT, ""), f.doubleValue(CONFIDENCE, 0),
                            readWords(f.string(WORDS)), f.string(ERROR, ""))
                    .language(f.string(LANGUAGE, ""))
                    .model(f.string(MODEL, ""))
                    .timing(f.longValue(START_MS, 0), f.longValue(DURATION_MS, 0))
                    .cost(f.longValue(PROCESSING_MS, 0), f.doubleValue(COST_USD, 0))
                    .attempt((int) f.longValue(ATTEMPT, 1))
                    .mode(ChunkMode.fromWire(f.string(MODE)))
                    .consensusProviders(consensus == null ? List.of() : consensus)
                    .enqueuedAtMillis(f.longValue(ENQUEUED_AT, 0))
                    .producedAtMillis(f.longValue(PRODUCED_AT, 0))
                    .traceparent(f.string(TRACEPARENT))
                    .flags(f.list(FLAGS))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(e.getMessage(), e);
        }
    }

    static String writeWords(List<WordTiming> words) {
        ArrayNode array = JSON.createArrayNode();
        for (WordTiming w : words) {
            array.addObject().put("w", w.word()).put("s", w.startMs()).put("e", w.endMs()).put("c", w.confidence());
        }
        return array.toString();
    }

    static List<WordTiming> readWords(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            JsonNode array = JSON.readTree(json);
            if (!array.isArray()) {
                throw new MalformedEntryException("words is not a JSON array");
            }
            List<WordTiming> words = new ArrayList<>(array.size());
            for (JsonNode w : array) {
                words.add(new WordTiming(w.path("w").asText(), w.path("s").asLong(), w.path("e").asLong(),
                        w.path("c").asDouble(-1)));
            }
            return words;
        } catch (JsonProcessingException e) {
            throw new MalformedEntryException("words is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
