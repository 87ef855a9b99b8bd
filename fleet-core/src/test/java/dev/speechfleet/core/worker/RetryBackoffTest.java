package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(100), Duration.ofMillis(1000));

    @RepeatedTest(20)
    void delayIsJitteredWithinTheExponentialCeiling() {
        assertThat(backoff.delay(2, Optional.empty())).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @RepeatedTest(20)
    void delayNeverExceedsTheMaximum() {
        assertThat(backoff.delay(30, Optional.empty())).isLessThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void retryAfterIsAFloor() {
        assertThat(backoff.delay(0, Optional.of(Duration.ofSeconds(3)))).isBetween(Duration.ofSeconds(3),
                Duration.ofMillis(3100));
    }
}
