package dev.speechfleet.aggregator;

import java.time.Duration;

/** Settings with short times, so that claims, deadlines and trims happen within a test. */
final class TestAggregatorSettings {

    private TestAggregatorSettings() {
    }

    static AggregatorSettings fast(String consumer, Duration consensusTimeout) {
        return fast(consumer, consensusTimeout, consensusTimeout.plusSeconds(5));
    }

    static AggregatorSettings fast(String consumer, Duration consensusTimeout, Duration consensusHardCap) {
        return new AggregatorSettings(consumer, 16, Duration.ofMillis(200), Duration.ofSeconds(1), 5,
                Duration.ofMillis(300), Duration.ofMillis(100), consensusTimeout, consensusHardCap,
                Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofSeconds(3), Duration.ofSeconds(5), 0.7, 0.6, 10_000, 10_000);
    }
}
