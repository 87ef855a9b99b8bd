package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CircuitStatesTest {

    @Test
    void anyOpenBreakerMakesTheProviderOpen() {
        assertThat(CircuitStates.worst(CircuitState.HALF_OPEN, CircuitState.OPEN)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void halfOpenWinsOverClosed() {
        assertThat(CircuitStates.worst(CircuitState.CLOSED, CircuitState.HALF_OPEN)).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void allClosedIsClosed() {
        assertThat(CircuitStates.worst(CircuitState.CLOSED, CircuitState.CLOSED)).isEqualTo(CircuitState.CLOSED);
    }
}
