package dev.speechfleet.core.worker;

import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisCommandException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The consumer-group worker every provider consumer runs: reads {@code audio:stream:{provider}} in
 * group {@code {provider}_workers}, never more entries than it has free slots for, hands each to a
 * {@link ChunkProcessor} on a bounded pool, and runs the group's maintenance in the background.
 *
 * <p>Lifecycle: {@code NEW → RUNNING → STOPPING → STOPPED}. Stopping stops reading at once, lets
 * chunks in flight finish for a grace period, and leaves the rest pending for other workers.
 */
public final class StreamWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StreamWorker.class);
    /** The default of {@code fleet.providers.live-idle}. */
    static final Duration DEFAULT_LIVE_IDLE = Duration.ofSeconds(30);

    /** Where the worker is in its life. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final TranscriptionProvider provider;
    private final WorkerSettings settings;
    private final WorkerStreams streams;
    private final ConsumerGroup group;
    private final HealthReporter health;
    private final ChunkProcessor processor;
    private final WorkerMetrics metrics;
    private final ProviderAvailability availability;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Semaphore freeSlots;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService processing;
    private final ScheduledExecutorService chores;
    private final Clock clock;
    private Thread poller;
    /** Owned by the poller thread. */
    private long lastReclaimNanos = System.nanoTime();

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
        this(redis, provider, settings, meters, availability, Clock.systemUTC());
    }

    StreamWorker(RedisStreams redis, TranscriptionProvider provider, WorkerSettings settings, MeterRegistry meters,
            ProviderAvailability availability, Clock clock) {
        this.provider = provider;
        this.availability = availability;
        this.settings = settings;
        this.streams = new WorkerStreams(redis, provider.name(), settings);
        this.group = streams.group();
        this.health = new HealthReporter(redis, provider.name(), settings);
        this.metrics = new WorkerMetrics(meters, provider.name(), inFlight::size);
        this.processor = new ChunkProcessor(provider, streams, settings, stopSignal, metrics, clock,
                availability::accepts);
        this.clock = clock;
        this.freeSlots = new Semaphore(settings.concurrency());
        this.processing = Executors.newFixedThreadPool(settings.concurrency(),
                Thread.ofPlatform().name(provider.name() + "-worker-", 0).factory());
        this.chores = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(provider.name() + "-maintenance").daemon().factory());
    }

    /** Creates the group if missing and starts reading. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("worker already started: " + state.get());
        }
        if (group.create()) {
            LOG.infof("created group %s on %s", group.group(), group.stream());
        }
        availability.refreshIfOlderThan(settings.maintenanceInterval());
        publishCapabilities();
        poller = Thread.ofPlatform().name(provider.name() + "-poller").start(this::pollLoop);
        long every = settings.maintenanceInterval().toMillis();
        chores.scheduleWithFixedDelay(this::runMaintenance, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("worker %s serving %s (group %s, concurrency %d)", settings.consumerName(), streams.stream(),
                group.group(), settings.concurrency());
    }

    public State state() {
        return state.get();
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
        return inFlight.size();
    }

    /** Stops reading, waits up to the grace period for chunks in flight, leaves the rest pending. */
    public void stop() {
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            state.compareAndSet(State.NEW, State.STOPPED);
            return;
        }
        stopSignal.countDown();
        tellProviderStopping();
        chores.shutdownNow();
        withdrawHealth();
        joinPoller();
        processing.shutdown();
        try {
            if (!processing.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d chunk(s) still in flight after %s; leaving them pending", inFlight.size(),
                        settings.shutdownGrace());
                processing.shutdownNow();
                processing.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            processing.shutdownNow();
        }
        state.set(State.STOPPED);
        LOG.infof("worker %s stopped", settings.consumerName());
    }

    @Override
    public void close() {
        stop();
    }

    private void pollLoop() {
        try (StreamReader reader = streams.redis().openReader()) {
            recoverOwnPending(reader);
            while (state.get() == State.RUNNING) {
                try {
                    pollOnce(reader);
                } catch (RuntimeException e) {
                    // The poller is the worker's only reader: it must outlive any single failed round.
                    LOG.errorf(e, "polling %s failed; retrying", streams.stream());
                    stopSignal.await(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Entries this consumer name already holds (a restart under the same name) are processed first. */
    private void recoverOwnPending(StreamReader reader) throws InterruptedException {
        String after = "0";
        while (state.get() == State.RUNNING) {
            int slots = acquireSlots();
            if (slots == 0) {
                continue;
            }
            List<StreamEntry> own;
            try {
                own = reader.readGroup(streams.stream(), group.group(), settings.consumerName(), slots, null, after);
            } catch (RuntimeException e) {
                freeSlots.release(slots);
                LOG.warnf("reading back the pending entries of %s failed; they will be reclaimed: %s",
                        settings.consumerName(), e.getMessage());
                return;
            }
            freeSlots.release(slots - own.size());
            if (own.isEmpty()) {
                return;
            }
            after = own.getLast().id();
            dispatchAll(group.withDeliveryCounts(own));
        }
    }

    /**
     * One round: take free slots, give them first to entries abandoned by dead workers (when a
     * reclaim is due), then to new entries. Only this thread takes slots for reading, so reclaiming
     * and reading never starve each other.
     */
    private void pollOnce(StreamReader reader) throws InterruptedException {
        int slots = acquireSlots();
        if (slots == 0) {
            return;
        }
        try {
            slots -= reclaimIfDue(slots);
            if (slots == 0) {
                return;
            }
            List<StreamEntry> entries = reader.readGroup(streams.stream(), group.group(), settings.consumerName(),
                    slots, settings.pollTimeout(), ">");
            slots -= entries.size();
            entries.forEach(entry -> dispatch(entry, 1));
        } catch (RedisUnavailableException e) {
            pauseAfterRedisError(e);
        } catch (RedisCommandException e) {
            recoverFromCommandError(e);
        } finally {
            freeSlots.release(slots);
        }
    }

    /**
     * A Redis that lost its data (restarted without persistence, failed over, group deleted by hand)
     * answers NOGROUP: the group is created again and reading goes on. Any other refusal is logged
     * and retried after a pause, so the poller never dies.
     */
    private void recoverFromCommandError(RedisCommandException e) throws InterruptedException {
        if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
            LOG.warnf("group %s on %s is gone (%s); creating it again", group.group(), streams.stream(),
                    e.getMessage());
            try {
                group.create();
                return;
            } catch (RuntimeException again) {
                LOG.warnf("creating group %s failed: %s", group.group(), again.getMessage());
            }
        } else {
            LOG.errorf("Redis refused reading %s: %s", streams.stream(), e.getMessage());
        }
        stopSignal.await(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reclaims up to {@code slots} abandoned entries if the maintenance interval has passed; returns how many. */
    private int reclaimIfDue(int slots) {
        long now = System.nanoTime();
        if (now - lastReclaimNanos < settings.maintenanceInterval().toNanos()) {
            return 0;
        }
        lastReclaimNanos = now;
        List<ConsumerGroup.Delivery> claimed = group.reclaim(settings.claimIdle(), slots, inFlight);
        if (!claimed.isEmpty()) {
            metrics.reclaimed(claimed.size());
            LOG.infof("reclaimed %d abandoned entr%s on %s", claimed.size(), claimed.size() == 1 ? "y" : "ies",
                    streams.stream());
            dispatchAll(claimed);
        }
        return claimed.size();
    }

    /** Waits for at least one free slot (up to the poll timeout), then takes as many as a batch may use. */
    private int acquireSlots() throws InterruptedException {
        if (!freeSlots.tryAcquire(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            return 0;
        }
        int slots = 1;
        while (slots < settings.batchSize() && freeSlots.tryAcquire()) {
            slots++;
        }
        return slots;
    }

    private void dispatchAll(List<ConsumerGroup.Delivery> deliveries) {
        deliveries.forEach(d -> dispatch(d.entry(), d.deliveries()));
    }

    /** Runs one entry on the pool; the caller has already taken a slot for it. */
    private void dispatch(StreamEntry entry, long deliveries) {
        inFlight.add(entry.id());
        try {
            processing.execute(() -> processAndRelease(entry, deliveries));
        } catch (RejectedExecutionException e) {
            inFlight.remove(entry.id());
            freeSlots.release();
        }
    }

    private void processAndRelease(StreamEntry entry, long deliveries) {
        try {
            metrics.outcome(processor.process(entry, deliveries));
        } catch (RedisUnavailableException e) {
            LOG.warnf("Redis failed while processing %s; it stays pending: %s", entry.id(), e.getMessage());
            metrics.outcome(ChunkProcessor.Outcome.LEFT_PENDING);
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure processing %s; it stays pending", entry.id());
            metrics.outcome(ChunkProcessor.Outcome.LEFT_PENDING);
        } finally {
            inFlight.remove(entry.id());
            freeSlots.release();
        }
    }

    private void runMaintenance() {
        try {
            group.keepAlive(inFlight);
            availability.refreshIfOlderThan(settings.maintenanceInterval());
            ProviderCapabilities capabilities = provider.capabilities();
            health.publishHealth(new ProviderHealth(settings.consumerName(), provider.circuitState(),
                    metrics.recent().p95Millis(), metrics.recent().medianRealTimeFactor(), settings.concurrency(),
                    clock.millis(), Optional.of(capabilities)));
            health.publishCapabilities(capabilities);
            int removed = group.removeDepartedConsumers(settings.consumerRemoveIdle());
            if (removed > 0) {
                LOG.infof("removed %d departed consumer(s) from %s", removed, group.group());
            }
            group.trim();
        } catch (RuntimeException e) {
            LOG.warnf("maintenance of %s failed, will retry: %s", streams.stream(), e.getMessage());
        }
    }

    /** Tracks the catalog's providers and the default chain, with the default live limit. */
    static ProviderAvailability ownAvailability(RedisStreams redis, WorkerSettings settings) {
        Set<String> tracked = new LinkedHashSet<>(settings.defaultChain());
        ProviderCatalog.entries().forEach(e -> tracked.add(e.name()));
        return new ProviderAvailability(redis, DEFAULT_LIVE_IDLE, tracked, Set.of(), Clock.systemUTC());
    }

    private void tellProviderStopping() {
        try {
            provider.workerStopping();
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s failed to take note that its worker stops", provider.name());
        }
    }

    /** At start, so that the router knows at once what this consumer serves; maintenance refreshes it. */
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

    private void pauseAfterRedisError(RedisUnavailableException e) throws InterruptedException {
        LOG.warnf("reading %s failed, retrying: %s", streams.stream(), e.getMessage());
        stopSignal.await(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void joinPoller() {
        if (poller == null) {
            return;
        }
        try {
            poller.join(settings.pollTimeout().plus(streams.redis().commandTimeout()).toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
