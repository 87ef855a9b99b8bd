package dev.speechfleet.router.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the router picks a provider for an utterance (DESIGN.md section 5). */
public enum RoutingPolicy {
    /** Lowest recent p95 processing time plus expected queue wait. */
    LATENCY,
    /** Lowest catalog word error rate. */
    ACCURACY,
    /** Lowest price per audio minute. */
    COST,
    /** Shortest queue: lag plus pending entries. */
    QUEUE,
    /** Weighted sum of the four, each normalised over the candidates. */
    BALANCED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<RoutingPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire().equals(value)).findFirst();
    }

    /** The wire names, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(RoutingPolicy::wire).toList());
    }
}
