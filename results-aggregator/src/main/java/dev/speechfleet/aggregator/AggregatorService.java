package dev.speechfleet.aggregator;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.consumer.ConsumerLoop;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/** Runs this process's aggregator instance from startup to shutdown. */
@ApplicationScoped
public class AggregatorService {

    private final RedisStreams redis;
    private final AggregatorConfig config;
    private final FleetConfig fleet;
    private final MeterRegistry meters;
    /** Spans of the result writes: a no-op unless an exporter is configured (docs/operations.md, Traces). */
    private final EntryTracing tracing;
    private volatile ConsumerLoop loop;

    AggregatorService(RedisStreams redis, AggregatorConfig config, FleetConfig fleet, MeterRegistry meters,
            EntryTracing tracing) {
        this.tracing = tracing;
        this.redis = redis;
        this.config = config;
        this.fleet = fleet;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        ConsumerLoop started = AggregatorLoop.create(redis, AggregatorSettings.from(config, fleet), meters,
                tracing);
        started.start();
        loop = started;
    }

    void onStop(@Observes ShutdownEvent event) {
        ConsumerLoop running = loop;
        if (running != null) {
            running.stop();
        }
    }

    /** The running instance, when this process runs one. */
    public Optional<ConsumerLoop> loop() {
        return Optional.ofNullable(loop);
    }
}
