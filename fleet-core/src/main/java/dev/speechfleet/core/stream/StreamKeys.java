package dev.speechfleet.core.stream;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every Redis key and consumer-group name of the fleet. Nothing else in the project spells a key.
 *
 * <p>Keys that a multi-key operation touches together carry a hash tag ({@code {...}}) so that they
 * land in one Redis Cluster slot: a session's hash and its result stream share {@code {session_id}},
 * an audio blob and its reference count share {@code {chunk_id}}. Provider streams, global streams
 * and device hashes are single-key and keep the plain names operators already use.
 */
public final class StreamKeys {

    /** Stream of hypotheses written by every provider consumer. */
    public static final String HYPOTHESES = "transcription:hypotheses";
    /** Consumer group of the results aggregator on {@link #HYPOTHESES}. */
    public static final String AGGREGATOR_GROUP = "aggregator";
    /** Capped stream of every final result, for monitoring. */
    public static final String RESULTS_ALL = "transcription:results:all";
    /** Capped stream of every failed provider attempt. */
    public static final String FAILURES = "transcription:failures";
    /** Chunks whose whole provider chain failed, kept for operators to re-drive. */
    public static final String DEAD = "transcription:dead";

    /**
     * {@code devices}: set of every device id the admin API created, so that listing devices needs no
     * {@code KEYS} or {@code SCAN}.
     */
    public static final String DEVICES = "devices";

    /**
     * Sorted set of open consensus chunks, scored by the epoch millis at which they must be decided
     * (results aggregator). Members name a chunk as {@code seq:session_id}. Single-key commands only.
     */
    public static final String AGGREGATOR_DEADLINES = "aggregator:deadlines";

    /**
     * Pub/sub channel on which the aggregator publishes the session id after each result it writes,
     * so that a router's single result reader knows which session streams to read.
     */
    public static final String RESULTS_NOTIFY_CHANNEL = "transcription:results:notify";

    private static final Pattern PROVIDER_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private StreamKeys() {
    }

    /** {@code audio:stream:{provider}}: the provider's work queue. */
    public static String audioStream(String provider) {
        return "audio:stream:" + requireProvider(provider);
    }

    /** {@code {provider}_workers}: the consumer group of a provider's consumers. */
    public static String workerGroup(String provider) {
        return requireProvider(provider) + "_workers";
    }

    /** {@code transcription:results:{session_id}}: one session's results, hash-tagged with the session. */
    public static String sessionResults(String sessionId) {
        return "transcription:results:" + hashTag(sessionId);
    }

    /** {@code session:{session_id}}: the session hash, in the same slot as its result stream. */
    public static String session(String sessionId) {
        return "session:" + hashTag(sessionId);
    }

    /** {@code device:{device_id}}: a device's token hash, policy and enabled flag. */
    public static String device(String deviceId) {
        return "device:" + requireNonBlank(deviceId, "device id");
    }

    /** {@code audio:blob:{chunk_id}}: audio stored once for several entries (consensus, large chunks). */
    public static String audioBlob(String chunkId) {
        return "audio:blob:" + hashTag(chunkId);
    }

    /** Reference count of {@link #audioBlob(String)}, in the same slot. */
    public static String audioBlobRefs(String chunkId) {
        return audioBlob(chunkId) + ":refs";
    }

    /**
     * Set of the holders (providers) that already released {@link #audioBlob(String)}, in the same
     * slot: a redelivered entry releases nothing twice.
     */
    public static String audioBlobReleased(String chunkId) {
        return audioBlob(chunkId) + ":released";
    }

    /**
     * {@code provider:health:{provider}}: hash with one field per live consumer of the provider
     * (JSON: circuit state, recent p95 processing time, real-time factor, last update).
     */
    public static String providerHealth(String provider) {
        return "provider:health:" + requireProvider(provider);
    }

    /**
     * {@code provider:capabilities:{provider}}: JSON string of the languages and sample rates the
     * provider's most recently started or refreshed consumer serves (ADR 0024). It outlives the
     * consumers (long TTL), so the router knows what a provider scaled to zero serves.
     */
    public static String providerCapabilities(String provider) {
        return "provider:capabilities:" + requireProvider(provider);
    }

    /**
     * {@code aggregator:chunk:{session_id}:seq}: hash of a consensus chunk's hypotheses so far, one
     * field per provider. Tagged with the session so that it shares a slot with the session's
     * result stream and the chunk's emitted marker (ADR 0040).
     */
    public static String aggregatorChunk(String sessionId, long seq) {
        return "aggregator:chunk:" + hashTag(sessionId) + ":" + seq;
    }

    /** {@code aggregator:emitted:{session_id}:seq}: set once the chunk's one result is written; expires. */
    public static String aggregatorEmitted(String sessionId, long seq) {
        return "aggregator:emitted:" + hashTag(sessionId) + ":" + seq;
    }

    /**
     * {@code assemblyai:transcript:{chunk_id}}: the AssemblyAI consumer's record of a chunk's upload
     * URL and transcript id, so that a retry never submits the same chunk twice. Tagged with the
     * chunk id, like the chunk's audio blob.
     */
    public static String assemblyAiTranscript(String chunkId) {
        return "assemblyai:transcript:" + hashTag(chunkId);
    }

    /** Whether an id can go into a hash tag: not blank, no '{' or '}'. */
    public static boolean isHashTaggable(String id) {
        return id != null && !id.isBlank() && id.indexOf('{') < 0 && id.indexOf('}') < 0;
    }

    /** {@code chunk_id} of an utterance: {@code {session_id}:{seq}}. */
    public static String chunkId(String sessionId, long seq) {
        return requireNonBlank(sessionId, "session id") + ":" + seq;
    }

    /** Whether a provider name is usable in a key (lower case letters, digits, '-' and '_'). */
    public static boolean isValidProviderName(String provider) {
        return provider != null && PROVIDER_NAME.matcher(provider).matches();
    }

    private static String requireProvider(String provider) {
        if (!isValidProviderName(provider)) {
            throw new IllegalArgumentException("invalid provider name: '" + provider
                    + "' (expected lower case letters, digits, '-' or '_', at most 32 characters)");
        }
        return provider;
    }

    private static String hashTag(String id) {
        String value = requireNonBlank(id, "id");
        if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
            throw new IllegalArgumentException("ids must not contain '{' or '}': " + value);
        }
        return "{" + value + "}";
    }

    private static String requireNonBlank(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }
}
