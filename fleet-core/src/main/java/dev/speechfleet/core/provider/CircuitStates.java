package dev.speechfleet.core.provider;

/** Combines the breakers a provider call passes through into the one state the router sees. */
public final class CircuitStates {

    private CircuitStates() {
    }

    /** Open when any breaker is open (calls are refused), half-open when any is trying, closed otherwise. */
    public static CircuitState worst(CircuitState... states) {
        CircuitState worst = CircuitState.CLOSED;
        for (CircuitState state : states) {
            if (state == CircuitState.OPEN) {
                return CircuitState.OPEN;
            }
            if (state == CircuitState.HALF_OPEN) {
                worst = CircuitState.HALF_OPEN;
            }
        }
        return worst;
    }
}
