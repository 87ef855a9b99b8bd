package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.stream.FailureKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The meters of a provider's worker ({@code worker.*}, {@code provider.*}) or of the stranded-entry
 * sweeper ({@code fleet.sweeper.*}), tagged with the provider and, for failures, the
 * {@link FailureKind} as {@code error_class}: a bounded set of tags (docs/operations.md, Metrics).
 */
final class WorkerMetrics {

    /** Names of one family of meters. */
    record Names(String chunks, String retries, String reroutes, String deadLetters, String reclaimed,
            String processing, String realTimeFactor, String inFlight) {
    }

    /** The worker's meters, which the Grafana dashboard shows. */
    static final Names WORKER = new Names("worker.chunks", "worker.retries", "worker.reroutes",
            "worker.dead_letters", "worker.reclaimed", "worker.processing", "worker.real_time_factor",
            "worker.in_flight");
    /** The stranded-entry sweeper's meters: it re-routes and dead-ends, but calls no provider. */
    static final Names SWEEPER = new Names("fleet.sweeper.chunks", "fleet.sweeper.retries",
            "fleet.sweeper.reroutes", "fleet.sweeper.dead_letters", "fleet.sweeper.reclaimed",
            "fleet.sweeper.processing", "fleet.sweeper.real_time_factor", "fleet.sweeper.in_flight");
    static final String COST = "provider.cost.usd";
    static final String CIRCUIT_STATE = "provider.circuit.state";

    private final Map<ChunkProcessor.Outcome, Counter> outcomes = new EnumMap<>(ChunkProcessor.Outcome.class);
    private final Map<FailureKind, Counter> reroutes = new EnumMap<>(FailureKind.class);
    private final Map<FailureKind, Counter> deadLetters = new EnumMap<>(FailureKind.class);
    private final Counter retries;
    private final Counter reclaimed;
    private final Timer processing;
    private final DistributionSummary realTimeFactor;
    private final Optional<Counter> cost;
    private final RecentTimings recent = new RecentTimings(200);

    /** A worker's meters, with the provider's cost and breaker state. */
    WorkerMetrics(MeterRegistry registry, String provider, Supplier<Number> inFlight, Supplier<CircuitState> circuit) {
        this(registry, WORKER, provider, inFlight);
        Gauge.builder(CIRCUIT_STATE, circuit, c -> circuitValue(c.get()))
                .description("The provider's circuit breaker: 0 closed, 1 half open, 2 open")
                .tag("provider", provider).strongReference(true).register(registry);
    }

    /** Meters without cost and breaker state (the sweeper). */
    WorkerMetrics(MeterRegistry registry, Names names, String provider, Supplier<Number> inFlight) {
        for (ChunkProcessor.Outcome outcome : ChunkProcessor.Outcome.values()) {
            outcomes.put(outcome, Counter.builder(names.chunks()).description("Entries processed, by outcome")
                    .tag("provider", provider).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        for (FailureKind kind : FailureKind.values()) {
            reroutes.put(kind, Counter.builder(names.reroutes())
                    .description("Chunks re-routed to the next provider of their chain, by failure class")
                    .tag("provider", provider).tag("error_class", errorClass(kind)).register(registry));
            deadLetters.put(kind, Counter.builder(names.deadLetters())
                    .description("Chunks given up on (transcription:dead), by failure class")
                    .tag("provider", provider).tag("error_class", errorClass(kind)).register(registry));
        }
        retries = Counter.builder(names.retries()).description("Provider calls retried")
                .tag("provider", provider).register(registry);
        reclaimed = Counter.builder(names.reclaimed())
                .description("Entries reclaimed from departed consumers").tag("provider", provider)
                .register(registry);
        processing = Timer.builder(names.processing()).description("Time of one provider call, failed ones too")
                .tag("provider", provider).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        realTimeFactor = DistributionSummary.builder(names.realTimeFactor())
                .description("Processing time divided by audio duration").tag("provider", provider)
                .register(registry);
        // Strong references: the suppliers are lambdas nothing else holds, a weak gauge would lose them.
        Gauge.builder(names.inFlight(), inFlight, s -> s.get().doubleValue()).description("Entries in hand")
                .tag("provider", provider).strongReference(true).register(registry);
        cost = names == WORKER ? Optional.of(Counter.builder(COST)
                .description("List-price cost of the audio the provider transcribed, in US dollars")
                .tag("provider", provider).register(registry)) : Optional.empty();
    }

    /** The {@code error_class} tag of a failure kind. */
    static String errorClass(FailureKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** 0 closed, 1 half open, 2 open: the higher, the less the provider takes. */
    static double circuitValue(CircuitState state) {
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    void outcome(ChunkProcessor.Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void retried() {
        retries.increment();
    }

    void rerouted(FailureKind kind) {
        reroutes.get(kind).increment();
    }

    void deadLettered(FailureKind kind) {
        deadLetters.get(kind).increment();
    }

    void reclaimed(int count) {
        reclaimed.increment(count);
    }

    /** Recent timings, published in the provider's health for routing. */
    RecentTimings recent() {
        return recent;
    }

    /** One provider call, whatever its end. */
    void recordCall(Duration elapsed) {
        processing.record(elapsed);
    }

    /** A transcribed chunk: its time feeds routing's figures, its cost the provider's. */
    void recordTranscribed(Duration elapsed, long audioMs, double costUsd) {
        recent.add(elapsed.toMillis(), audioMs);
        if (audioMs > 0) {
            realTimeFactor.record(elapsed.toMillis() / (double) audioMs);
        }
        cost.ifPresent(c -> c.increment(costUsd));
    }
}
