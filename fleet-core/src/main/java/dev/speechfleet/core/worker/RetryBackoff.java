package dev.speechfleet.core.worker;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with "equal jitter" (a random delay in the upper half of the ceiling), or the provider's Retry-After when it gave one. */
final class RetryBackoff {

    private final Duration base;
    private final Duration max;

    RetryBackoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /**
     * Delay before retry number {@code retry} (0-based). The jitter spreads the retries of many
     * workers hit by the same outage; a Retry-After is a floor, with a little jitter on top.
     */
    Duration delay(int retry, Optional<Duration> retryAfter) {
        long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(retry, 20));
        long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, Math.max(ceiling, 1) + 1);
        return retryAfter.map(floor -> floor.plusMillis(ThreadLocalRandom.current().nextLong(0, base.toMillis() + 1)))
                .orElse(Duration.ofMillis(jittered));
    }
}
