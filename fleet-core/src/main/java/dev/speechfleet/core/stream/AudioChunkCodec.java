package dev.speechfleet.core.stream;

import static dev.speechfleet.core.stream.AudioFields.*;

import java.util.List;

/** Encodes an {@link AudioChunk} to stream fields and back; every field round-trips. */
public final class AudioChunkCodec {

    private AudioChunkCodec() {
    }

    public static EntryFields encode(AudioChunk chunk) {
        EntryFields fields = EntryFields.forChunk(AudioChunk.VERSION, chunk.chunkId(), chunk.sessionId(),
                        chunk.deviceId(), chunk.seq())
                .put(AUDIO, chunk.audio())
                .put(AUDIO_REF, chunk.audioRef())
                .put(ENCODING, chunk.encoding())
                .put(SAMPLE_RATE, chunk.sampleRate())
                .put(START_MS, chunk.startMs())
                .put(DURATION_MS, chunk.durationMs())
                .put(LANGUAGE, chunk.language())
                .put(POLICY, chunk.policy())
                .put(ROUTE_REASON, chunk.routeReason())
                .putList(FALLBACK_PROVIDERS, chunk.fallbackProviders())
                .put(ATTEMPT, chunk.attempt())
                .put(ORIGINAL_PROVIDER, chunk.originalProvider())
                .put(ERROR_HISTORY, ErrorHistoryJson.write(chunk.errorHistory()))
                .put(MODE, chunk.mode().wire())
                .putList(CONSENSUS_PROVIDERS, chunk.consensusProviders())
                .put(ENQUEUED_AT, chunk.enqueuedAtMillis())
                .put(TRACEPARENT, chunk.traceparent())
                .put(KEYTERMS, chunk.keyterms().isEmpty() ? null : Keyterms.toJson(chunk.keyterms()));
        return fields;
    }

    /**
     * Decodes an entry. Provider names are checked here, where they are read, so that an entry naming
     * a provider no stream can be named for (an operator's typo in a re-driven dead letter) is
     * malformed from its first delivery instead of failing at its re-route on every delivery.
     *
     * @throws MalformedEntryException if a required field is missing or has the wrong form
     */
    public static AudioChunk decode(EntryFields fields) {
        long version = fields.longValue(V, AudioChunk.VERSION);
        if (version != AudioChunk.VERSION) {
            throw new MalformedEntryException("unsupported entry version " + version);
        }
        try {
            return AudioChunk.builder()
                    .chunkId(fields.requiredString(CHUNK_ID))
                    .sessionId(fields.requiredString(SESSION_ID))
                    .deviceId(fields.string(DEVICE_ID, ""))
                    .seq(fields.requiredLong(SEQ))
                    .audio(fields.bytes(AUDIO))
                    .audioRef(fields.string(AUDIO_REF))
                    .encoding(fields.string(ENCODING, AudioEncodings.PCM_S16LE))
                    .sampleRate((int) fields.requiredLong(SAMPLE_RATE))
                    .startMs(fields.longValue(START_MS, 0))
                    .durationMs(fields.longValue(DURATION_MS, 0))
                    .language(fields.string(LANGUAGE, "en"))
                    .policy(fields.string(POLICY, ""))
                    .routeReason(fields.string(ROUTE_REASON, ""))
                    .fallbackProviders(providers(fields, FALLBACK_PROVIDERS))
                    .attempt((int) fields.longValue(ATTEMPT, 1))
                    .originalProvider(provider(fields, ORIGINAL_PROVIDER))
                    .errorHistory(ErrorHistoryJson.read(fields.string(ERROR_HISTORY)))
                    .mode(ChunkMode.fromWire(fields.string(MODE)))
                    .consensusProviders(providers(fields, CONSENSUS_PROVIDERS))
                    .enqueuedAtMillis(fields.longValue(ENQUEUED_AT, 0))
                    .traceparent(fields.string(TRACEPARENT))
                    .keyterms(Keyterms.fromJson(fields.string(KEYTERMS)))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new MalformedEntryException(e.getMessage(), e);
        }
    }

    private static List<String> providers(EntryFields fields, String field) {
        List<String> names = fields.list(field);
        if (names != null) {
            names.forEach(name -> requireProviderName(field, name));
        }
        return names;
    }

    /** A single provider name; absent or empty is {@code null}. */
    private static String provider(EntryFields fields, String field) {
        String name = fields.string(field);
        if (name == null || name.isEmpty()) {
            return null;
        }
        requireProviderName(field, name);
        return name;
    }

    private static void requireProviderName(String field, String name) {
        if (!StreamKeys.isValidProviderName(name)) {
            throw new MalformedEntryException("field '" + field + "' names an invalid provider '" + name
                    + "' (lower case letters, digits, '-' or '_')");
        }
    }
}
