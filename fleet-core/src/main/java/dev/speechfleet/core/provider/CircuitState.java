package dev.speechfleet.core.provider;

import java.util.Locale;

/** The state of a provider's circuit breaker, as consumers publish it and the router reads it. */
public enum CircuitState {
    /** Calls go through. */
    CLOSED,
    /** Calls are refused without reaching the provider; routing skips the provider. */
    OPEN,
    /** A trial call is allowed to find out whether the provider is back. */
    HALF_OPEN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CircuitState fromWire(String value) {
        return value == null ? CLOSED : CircuitState.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
