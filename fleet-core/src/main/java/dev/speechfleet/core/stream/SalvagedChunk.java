package dev.speechfleet.core.stream;

import static dev.speechfleet.core.stream.AudioFields.ATTEMPT;
import static dev.speechfleet.core.stream.AudioFields.CHUNK_ID;
import static dev.speechfleet.core.stream.AudioFields.CONSENSUS_PROVIDERS;
import static dev.speechfleet.core.stream.AudioFields.DEVICE_ID;
import static dev.speechfleet.core.stream.AudioFields.DURATION_MS;
import static dev.speechfleet.core.stream.AudioFields.ENQUEUED_AT;
import static dev.speechfleet.core.stream.AudioFields.LANGUAGE;
import static dev.speechfleet.core.stream.AudioFields.MODE;
import static dev.speechfleet.core.stream.AudioFields.SEQ;
import static dev.speechfleet.core.stream.AudioFields.SESSION_ID;
import static dev.speechfleet.core.stream.AudioFields.START_MS;
import static dev.speechfleet.core.stream.AudioFields.TRACEPARENT;

import java.util.List;
import java.util.Optional;

/**
 * What can still be read of an entry that is given up on (it cannot be decoded, or handling it failed
 * too often): enough to tell the device that its utterance failed. Audio entries and hypotheses name
 * these fields alike.
 *
 * <p>Only {@code session_id} (usable in a key) and {@code seq} (a non-negative integer) are required;
 * every other field falls back to a neutral value when it is missing or unreadable. An entry whose
 * {@code chunk_id} contradicts its {@code session_id} and {@code seq} names no chunk for sure and
 * salvages nothing: an error result for the wrong seq would shadow that seq's real transcript.
 *
 * @param sessionId          the chunk's session
 * @param seq                its position in the session
 * @param deviceId           its device, or empty
 * @param startMs            its start within the session, 0 when unreadable
 * @param durationMs         its length, 0 when unreadable
 * @param language           its language, or empty
 * @param mode               single, or consensus when the entry says so readably
 * @param consensusProviders the providers of a consensus chunk, empty when unreadable
 * @param attempt            the chunk's attempt number, 1 when unreadable
 * @param enqueuedAtMillis   when the router enqueued it, 0 when unreadable
 * @param traceparent        W3C trace context, or {@code null}
 */
public record SalvagedChunk(String sessionId, long seq, String deviceId, long startMs, long durationMs,
        String language, ChunkMode mode, List<String> consensusProviders, int attempt, long enqueuedAtMillis,
        String traceparent) {

    public SalvagedChunk {
        consensusProviders = List.copyOf(consensusProviders);
    }

    /** The chunk an entry names, if its session and seq can be read. */
    public static Optional<SalvagedChunk> from(EntryFields fields) {
        String sessionId = fields.string(SESSION_ID);
        long seq = lenientLong(fields, SEQ, -1);
        if (!StreamKeys.isHashTaggable(sessionId) || seq < 0) {
            return Optional.empty();
        }
        String chunkId = fields.string(CHUNK_ID);
        if (chunkId != null && !chunkId.isEmpty() && !chunkId.equals(StreamKeys.chunkId(sessionId, seq))) {
            return Optional.empty();
        }
        List<String> consensus = fields.list(CONSENSUS_PROVIDERS);
        return Optional.of(new SalvagedChunk(sessionId, seq, fields.string(DEVICE_ID, ""),
                lenientLong(fields, START_MS, 0), lenientLong(fields, DURATION_MS, 0), fields.string(LANGUAGE, ""),
                lenientMode(fields), consensus == null ? List.of() : consensus,
                (int) Math.max(1, Math.min(Integer.MAX_VALUE, lenientLong(fields, ATTEMPT, 1))),
                lenientLong(fields, ENQUEUED_AT, 0), fields.string(TRACEPARENT)));
    }

    /** {@code {session_id}:{seq}}. */
    public String chunkId() {
        return StreamKeys.chunkId(sessionId, seq);
    }

    /** A failed hypothesis for the chunk, as if {@code provider}'s chain had been exhausted. */
    public Hypothesis failedHypothesis(String provider, String reason, long nowMillis) {
        return Hypothesis.builder().utterance(sessionId, deviceId, seq).provider(provider).failed(reason)
                .language(language).timing(startMs, durationMs).attempt(attempt).mode(mode)
                .consensusProviders(consensusProviders).enqueuedAtMillis(enqueuedAtMillis).producedAtMillis(nowMillis)
                .traceparent(traceparent).build();
    }

    private static long lenientLong(EntryFields fields, String field, long fallback) {
        try {
            return fields.longValue(field, fallback);
        } catch (MalformedEntryException e) {
            return fallback;
        }
    }

    private static ChunkMode lenientMode(EntryFields fields) {
        try {
            return ChunkMode.fromWire(fields.string(MODE));
        } catch (MalformedEntryException e) {
            return ChunkMode.SINGLE;
        }
    }
}
