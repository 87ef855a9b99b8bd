package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the aggregator loop runs (or when this process is configured not to run one). */
@Readiness
@ApplicationScoped
class AggregatorReadiness implements HealthCheck {

    private final AggregatorService service;
    private final AggregatorConfig config;

    AggregatorReadiness(AggregatorService service, AggregatorConfig config) {
        this.service = service;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        String state = service.loop().map(loop -> loop.state().name()).orElse("NOT_STARTED");
        boolean up = !config.enabled() || ConsumerLoop.State.RUNNING.name().equals(state);
        return HealthCheckResponse.named("aggregator").status(up).withData("state", state).build();
    }
}
