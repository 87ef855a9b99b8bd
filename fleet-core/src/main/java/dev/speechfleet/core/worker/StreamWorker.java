package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.ConsumerLoop;
import dev.speechfleet.core.consumer.EntryHandler;
import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jboss.logging.Logger;

/**
 * The consumer-group worker every provider consumer runs: a {@link ConsumerLoop} on
 * {@code audio:stream:{provider}} in group {@code {provider}_workers}, whose entries a
 * {@link ChunkProcessor} takes to their end on {@code concurrency} handler threads, and whose maintenance
 * also publishes the consumer's health and capabilities for the router.
 *
 * <p>Lifecycle: {@code NEW → RUNNING → STOPPING → STOPPED}. Stopping stops reading at once, tells the
 * provider (a wait inside a call ends), lets chunks in flight finish for a grace period, and leaves the
 * rest pending for other workers.
 */
public final class StreamWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StreamWorker.class);
    /** The default of {@code fleet.providers.live-idle}. */
    static final Duration DEFAULT_LIVE_IDLE = Duration.ofSeconds(30);

    private final TranscriptionProvider provider;
    private final WorkerSettings settings;
    private final HealthReporter health;
    private final ChunkProcessor processor;
    private final WorkerMetrics metrics;
    private final ProviderAvailability availability;
    private final Clock clock;
    /** Counted down when the worker stops: backoff waits end and their entries stay pending. */
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final ConsumerLoop loop;

    /**
     * A worker with a liveness view of its own: failover goes to providers of the catalog and the
     * default chain that have a live consumer (default live limit, nothing scale-from-zero).
     */
    public StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings,
            MeterRegistry meters) {
        this(redis, provider, settings, meters, ownAvailability(redis, settings), Clock.systemUTC());
    }

    /** A worker sharing {@code availability} (one view per process, refreshed by its workers' maintenance). */
    public StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings,
            MeterRegistry meters, ProviderAvailability availability) {
        this(redis, provider, settings, meters, availability, EntryTracing.off());
    }

    /** A worker that traces each chunk in a span, a child of its entry's traceparent (ADR 0075). */
    public StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings,
            MeterRegistry meters, ProviderAvailability availability, EntryTracing tracing) {
        this(redis, provider, settings, meters, availability, Clock.systemUTC(), tracing);
    }

    StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings, MeterRegistry meters,
            ProviderAvailability availability, Clock clock) {
        this(redis, provider, settings, meters, availability, clock, EntryTracing.off());
    }

    private StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings,
            MeterRegistry meters, ProviderAvailability availability, Clock clock, EntryTracing tracing) {
        this.provider = provider;
        this.availability = availability;
        this.settings = settings;
        this.clock = clock;
        WorkerStreams streams = new WorkerStreams(redis, provider.name(), settings);
        this.health = new HealthReporter(redis, provider.name(), settings);
        this.metrics = new WorkerMetrics(meters, provider.name(), this::inFlight, provider::circuitState);
        this.processor = new ChunkProcessor(provider, streams, settings, stopSignal, metrics, clock,
                availability::accepts, tracing);
        this.loop = ConsumerLoop.builder(redis, streams.group(), this::handle)
                .name(provider.name())
                .settings(settings.loop())
                .beforeReading(this::beforeReading)
                .maintenance(this::publishHealth)
                .onStopping(this::stopping)
                .afterChoresStopped(this::withdrawHealth)
                .onReclaimed(metrics::reclaimed)
                .queueGauges(meters)
                .build();
    }

    /** Creates the group if missing and starts reading. */
    public void start() {
        loop.start();
    }

    public ConsumerLoop.State state() {
        return loop.state();
    }

    /** The provider this worker serves. */
    public String provider() {
        return provider.name();
    }

    public String consumerName() {
        return settings.consumerName();
    }

    /** Entries being processed right now. */
    public int inFlight() {
        return loop == null ? 0 : loop.inFlight();
    }

    /** Stops reading, waits up to the grace period for chunks in flight, leaves the rest pending. */
    public void stop() {
        loop.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private EntryHandler.Disposition handle(StreamEntry entry, long deliveries) {
        ChunkProcessor.Outcome outcome;
        try {
            outcome = processor.process(entry, deliveries);
        } catch (RuntimeException e) {
            metrics.outcome(ChunkProcessor.Outcome.LEFT_PENDING);
            throw e;
        }
        metrics.outcome(outcome);
        return outcome.disposition();
    }

    /** At start, so that failover and the router know at once what this consumer serves. */
    private void beforeReading() {
        availability.refreshIfOlderThan(settings.loop().maintenanceInterval());
        publishCapabilities();
    }

    private void publishHealth() {
        availability.refreshIfOlderThan(settings.loop().maintenanceInterval());
        ProviderCapabilities capabilities = provider.capabilities();
        health.publishHealth(new ProviderHealth(settings.consumerName(), provider.circuitState(),
                metrics.recent().p95Millis(), metrics.recent().medianRealTimeFactor(), settings.concurrency(),
                clock.millis(), Optional.of(capabilities)));
        health.publishCapabilities(capabilities);
    }

    /** Tracks the catalog's providers and the default chain, with the default live limit. */
    static ProviderAvailability ownAvailability(RedisStreams redis, WorkerSettings settings) {
        Set<String> tracked = new LinkedHashSet<>(settings.defaultChain());
        ProviderCatalog.entries().forEach(e -> tracked.add(e.name()));
        return new ProviderAvailability(redis, DEFAULT_LIVE_IDLE, tracked, Set.of(), Clock.systemUTC());
    }

    private void stopping() {
        stopSignal.countDown();
        try {
            provider.workerStopping();
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s failed to take note that its worker stops", provider.name());
        }
    }

    private void publishCapabilities() {
        try {
            health.publishCapabilities(provider.capabilities());
        } catch (RuntimeException e) {
            LOG.warnf("could not publish what %s serves, will retry: %s", provider.name(), e.getMessage());
        }
    }

    private void withdrawHealth() {
        try {
            health.withdrawHealth();
        } catch (RuntimeException e) {
            LOG.debugf("could not withdraw health of %s: %s", settings.consumerName(), e.getMessage());
        }
    }
}
