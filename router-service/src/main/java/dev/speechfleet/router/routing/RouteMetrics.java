package dev.speechfleet.router.routing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * {@code router.utterances}: utterances dispatched, by provider, policy and the kind of the decision
 * ({@link RouteReason}), a bounded set of tags (docs/operations.md, Metrics).
 */
@Singleton
public class RouteMetrics {

    private final MeterRegistry meters;

    RouteMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** An utterance went where {@code decision} says. */
    public void dispatched(RouteDecision decision) {
        Counter.builder("router.utterances").description("Utterances dispatched, by provider, policy and reason")
                .tag("provider", String.join("+", decision.providers())).tag("policy", decision.policy())
                .tag("reason", decision.kind().tag()).register(meters).increment();
    }
}
