package dev.speechfleet.core.worker;

import java.time.Duration;
import java.util.List;

/** Worker settings with short timings, so that tests run in seconds. */
final class TestSettings {

    static final List<String> CHAIN = List.of("alpha", "beta", "gamma");

    private TestSettings() {
    }

    static WorkerSettings fast(String consumer) {
        return fast(consumer, 2);
    }

    static WorkerSettings fast(String consumer, int concurrency) {
        return new WorkerSettings(consumer, concurrency, 8, Duration.ofMillis(100), 2, Duration.ofMillis(10),
                Duration.ofMillis(40), Duration.ofSeconds(1), Duration.ofMillis(1500), 3, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofSeconds(5), CHAIN, 8, 10_000, 10_000);
    }
}
