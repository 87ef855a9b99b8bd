package dev.speechfleet.core.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The field/value pairs of one stream entry, with typed access. Values are raw bytes, so audio is
 * stored as binary; text is UTF-8, numbers are decimal text, lists are comma lists.
 */
public final class EntryFields {

    private final Map<String, byte[]> values;

    private EntryFields(Map<String, byte[]> values) {
        this.values = values;
    }

    /** An empty, writable set of fields that keeps insertion order. */
    public static EntryFields create() {
        return new EntryFields(new LinkedHashMap<>());
    }

    /**
     * The fields every entry about one chunk starts with (audio entries, hypotheses and results name
     * them alike): schema version, chunk id, session, device, seq.
     */
    public static EntryFields forChunk(int version, String chunkId, String sessionId, String deviceId, long seq) {
        return create().put(AudioFields.V, version).put(AudioFields.CHUNK_ID, chunkId)
                .put(AudioFields.SESSION_ID, sessionId).put(AudioFields.DEVICE_ID, deviceId).put(AudioFields.SEQ, seq);
    }

    /** Wraps fields read from Redis. */
    public static EntryFields of(Map<String, byte[]> values) {
        return new EntryFields(new LinkedHashMap<>(values));
    }

    public Map<String, byte[]> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public boolean has(String field) {
        return values.containsKey(field);
    }

    public EntryFields put(String field, byte[] value) {
        if (value != null) {
            values.put(field, value);
        }
        return this;
    }

    public EntryFields put(String field, String value) {
        if (value != null) {
            values.put(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public EntryFields put(String field, long value) {
        return put(field, Long.toString(value));
    }

    public EntryFields put(String field, double value) {
        return put(field, Double.toString(value));
    }

    public EntryFields putList(String field, List<String> value) {
        return value == null ? this : put(field, String.join(",", value));
    }

    public byte[] bytes(String field) {
        return values.get(field);
    }

    public String string(String field) {
        byte[] raw = values.get(field);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    public String string(String field, String fallback) {
        String value = string(field);
        return value == null ? fallback : value;
    }

    public String requiredString(String field) {
        String value = string(field);
        if (value == null || value.isEmpty()) {
            throw new MalformedEntryException("missing field '" + field + "'");
        }
        return value;
    }

    public long requiredLong(String field) {
        return parseLong(field, requiredString(field));
    }

    public long longValue(String field, long fallback) {
        String value = string(field);
        return value == null || value.isEmpty() ? fallback : parseLong(field, value);
    }

    public double doubleValue(String field, double fallback) {
        String value = string(field);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException("field '" + field + "' is not a number: " + value, e);
        }
    }

    /** A comma list; {@code null} when the field is absent, empty when present but empty. */
    public List<String> list(String field) {
        String value = string(field);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static long parseLong(String field, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException("field '" + field + "' is not an integer: " + value, e);
        }
    }
}
