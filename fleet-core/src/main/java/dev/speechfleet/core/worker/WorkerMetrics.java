package dev.speechfleet.core.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The worker's meters ({@code fleet.worker.*}, or the sweeper's {@code fleet.sweeper.*}), tagged with the provider. */
final class WorkerMetrics {

    private final Map<ChunkProcessor.Outcome, Counter> outcomes = new EnumMap<>(ChunkProcessor.Outcome.class);
    private final Counter retries;
    private final Counter reclaimed;
    private final Timer processing;
    private final DistributionSummary realTimeFactor;
    private final RecentTimings recent = new RecentTimings(200);

    WorkerMetrics(MeterRegistry registry, String provider, Supplier<Number> inFlight) {
        this(registry, "fleet.worker", provider, inFlight);
    }

    WorkerMetrics(MeterRegistry registry, String prefix, String provider, Supplier<Number> inFlight) {
        for (ChunkProcessor.Outcome outcome : ChunkProcessor.Outcome.values()) {
            outcomes.put(outcome, Counter.builder(prefix + ".chunks")
                    .description("Entries processed, by outcome")
                    .tag("provider", provider).tag("outcome", outcome.name().toLowerCase())
                    .register(registry));
        }
        retries = Counter.builder(prefix + ".retries").description("Provider calls retried")
                .tag("provider", provider).register(registry);
        reclaimed = Counter.builder(prefix + ".reclaimed")
                .description("Entries reclaimed from departed consumers").tag("provider", provider)
                .register(registry);
        processing = Timer.builder(prefix + ".processing").description("Provider call time per chunk")
                .tag("provider", provider).publishPercentiles(0.5, 0.95).register(registry);
        realTimeFactor = DistributionSummary.builder(prefix + ".real_time_factor")
                .description("Processing time divided by audio duration").tag("provider", provider)
                .register(registry);
        registry.gauge(prefix + ".in_flight", java.util.List.of(io.micrometer.core.instrument.Tag.of("provider",
                provider)), inFlight, s -> s.get().doubleValue());
    }

    void outcome(ChunkProcessor.Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void retried() {
        retries.increment();
    }

    void reclaimed(int count) {
        reclaimed.increment(count);
    }

    /** Recent timings, published in the provider's health for routing. */
    RecentTimings recent() {
        return recent;
    }

    void recordProcessing(Duration elapsed, long audioMs) {
        processing.record(elapsed);
        recent.add(elapsed.toMillis(), audioMs);
        if (audioMs > 0) {
            realTimeFactor.record(elapsed.toMillis() / (double) audioMs);
        }
    }
}
