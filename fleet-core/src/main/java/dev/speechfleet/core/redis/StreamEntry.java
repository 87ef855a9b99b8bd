package dev.speechfleet.core.redis;

import dev.speechfleet.core.stream.EntryFields;

/**
 * An entry read from a stream.
 *
 * @param id     the entry id
 * @param fields its fields, or {@code null} when the entry was deleted while it was pending
 */
public record StreamEntry(String id, EntryFields fields) {

    public boolean deleted() {
        return fields == null;
    }
}
