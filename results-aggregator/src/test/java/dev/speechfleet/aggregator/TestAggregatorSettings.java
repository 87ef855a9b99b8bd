package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.LoopSettings;
import java.time.Duration;

/** Settings with short times, so that claims, deadlines and trims happen within a test. */
final class TestAggregatorSettings {

    private TestAggregatorSettings() {
    }

    static AggregatorSettings fast(String consumer, Duration consensusTimeout) {
        return fast(consumer, consensusTimeout, consensusTimeout.plusSeconds(5));
    }

    static AggregatorSettings fast(String consumer, Duration consensusTimeout, Duration consensusHardCap) {
        LoopSettings loop = LoopSettings.builder().handlerThreads(16).virtualThreads(true)
                .reads(16, Duration.ofMillis(200))
                .claims(Duration.ofSeconds(1), Duration.ofMillis(300))
                .departures(Duration.ofSeconds(3), Duration.ofSeconds(5)).build();
        return AggregatorSettings.builder(consumer).loop(loop).maxDeliveries(5)
                .consensus(consensusTimeout, consensusHardCap, Duration.ofMillis(100), Duration.ofSeconds(2))
                .retention(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(10))
                .rover(0.7, 0.6).caps(10_000, 10_000).build();
    }
}
