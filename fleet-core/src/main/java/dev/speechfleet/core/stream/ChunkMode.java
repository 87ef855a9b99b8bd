package dev.speechfleet.core.stream;

import java.util.Locale;

/** Whether a chunk goes to one provider or is fanned out to several for consensus. */
public enum ChunkMode {
    SINGLE, CONSENSUS;

    /** Wire form: {@code single} or {@code consensus}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChunkMode fromWire(String value) {
        if (value == null || value.isEmpty()) {
            return SINGLE;
        }
        return switch (value) {
            case "single" -> SINGLE;
            case "consensus" -> CONSENSUS;
            default -> throw new MalformedEntryException("unknown mode '" + value + "'");
        };
    }
}
