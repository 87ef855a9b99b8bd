package dev.speechfleet.client;

import java.util.Locale;

/**
 * How a result is printed: {@code device #seq [start–end s] provider confidence latency: text}, where an
 * empty text shows as {@value #NOTHING}.
 */
final class ResultLine {

    static final String NOTHING = "(nothing recognised)";

    private ResultLine() {
    }

    static String format(String device, ServerMessage message, long latencyMs) {
        String latency = latencyMs < 0 ? "" : " " + latencyMs + " ms";
        return switch (message) {
            case ServerMessage.Transcript t -> String.format(Locale.ROOT, "%s #%d [%.2f-%.2f s] %s %.2f%s: %s",
                    device, t.seq(), t.startMs() / 1000.0, t.endMs() / 1000.0, t.provider(), t.confidence(), latency,
                    t.text().isBlank() ? NOTHING : t.text());
            case ServerMessage.Error e -> String.format(Locale.ROOT, "%s #%d error %s%s: %s", device, e.seq(),
                    e.code(), latency, e.message());
            default -> device + ": " + message;
        };
    }
}
