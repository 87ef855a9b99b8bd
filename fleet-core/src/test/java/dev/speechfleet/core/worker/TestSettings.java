package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.redis.RedisStreams;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Worker settings with short timings, so that tests run in seconds. */
final class TestSettings {

    static final List<String> CHAIN = List.of("alpha", "beta", "gamma");

    private TestSettings() {
    }

    /**
     * A liveness view in which every provider of the chain may take work without a consumer
     * (scale-from-zero), for tests of re-route mechanics on streams nobody reads.
     */
    static ProviderAvailability everyProviderAccepted(RedisStreams redis) {
        return new ProviderAvailability(redis, Duration.ofSeconds(30), CHAIN, Set.copyOf(CHAIN), Clock.systemUTC());
    }

    static WorkerSettings fast(String consumer) {
        return fast(consumer, 2);
    }

    static WorkerSettings fast(String consumer, int concurrency) {
        return fast(consumer, concurrency, Duration.ofSeconds(1));
    }

    /** With the longest Retry-After the worker waits out instead of re-routing at once. */
    static WorkerSettings fast(String consumer, int concurrency, Duration retryAfterLimit) {
        LoopSettings loop = LoopSettings.builder().handlerThreads(concurrency).reads(8, Duration.ofMillis(100))
                .claims(Duration.ofMillis(1500), Duration.ofMillis(200))
                .departures(Duration.ofSeconds(2), Duration.ofSeconds(5)).build();
        return WorkerSettings.builder(consumer, CHAIN).loop(loop)
                .retries(2, Duration.ofMillis(10), Duration.ofMillis(40), retryAfterLimit).maxDeliveries(3)
                .maxAttempts(8).caps(10_000, 10_000).build();
    }
}
