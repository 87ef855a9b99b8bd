package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.TranscriptResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** The aggregator's meters. */
final class AggregatorMetrics {

    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Counter consensusTimeouts;
    private final Counter deadLetters;
    private final Counter reclaimed;
    private final DistributionSummary agreement;
    private final DistributionSummary latency;

    AggregatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        duplicates = Counter.builder("aggregator.duplicates")
                .description("Hypotheses dropped: their chunk already had a result or their provider had answered")
                .register(registry);
        consensusTimeouts = Counter.builder("aggregator.consensus.timeouts")
                .description("Consensus chunks decided by their deadline with providers missing").register(registry);
        deadLetters = Counter.builder("aggregator.dead_letters")
                .description("Hypotheses sent to transcription:dead (malformed or delivered too often)")
                .register(registry);
        reclaimed = Counter.builder("aggregator.reclaimed")
                .description("Hypotheses claimed from instances that stopped answering").register(registry);
        agreement = DistributionSummary.builder("aggregator.consensus.agreement")
                .description("Agreement score of combined consensus results (0..1)").register(registry);
        latency = DistributionSummary.builder("aggregator.result.latency").baseUnit("milliseconds")
                .description("Router enqueue to result written").publishPercentiles(0.5, 0.95).register(registry);
    }

    void emitted(TranscriptResult result) {
        Counter.builder("aggregator.results").description("Results written, one per chunk")
                .tag("mode", result.mode().wire()).tag("status", result.ok() ? "ok" : "error")
                .register(registry).increment();
        latency.record(result.latencyMs());
        if (result.providers().size() > 1 && result.ok()) {
            agreement.record(result.agreement());
        }
    }

    void handled(HypothesisHandler.Outcome outcome) {
        Counter.builder("aggregator.hypotheses").description("Hypotheses handled, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry).increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void consensusTimeout() {
        consensusTimeouts.increment();
    }

    void deadLettered() {
        deadLetters.increment();
    }

    void reclaimed(int count) {
        reclaimed.increment(count);
    }
}
