package dev.speechfleet.aggregator;

import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.core.redis.RedisCommandException;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamReader;
import dev.speechfleet.core.stream.StreamKeys;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * One aggregator instance: a consumer of group {@code aggregator} on {@code transcription:hypotheses}.
 * A poller thread reads batches with a blocking XREADGROUP on its own connection and handles them;
 * a chores thread finishes expired consensus chunks, claims entries that crashed instances left
 * pending, removes instances that left the group holding nothing, and trims the stream below its
 * oldest unacknowledged entry. The instance keeps no chunk
 * state of its own, so any number of them share the group.
 *
 * <p>Lifecycle: {@code NEW → RUNNING → STOPPING → STOPPED}. Stopping stops reading, finishes the
 * batch in hand and leaves anything unfinished pending for the other instances.
 */
public final class AggregatorLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AggregatorLoop.class);

    /** Where the instance is in its life. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final RedisStreams redis;
    private final AggregatorSettings settings;
    private final HypothesisHandler handler;
    private final DeadlineSweeper sweeper;
    private final AggregatorMetrics metrics;
    /** Abandoned entries claimed per maintenance round, in read batches. */
    private static final int MAX_CLAIM_BATCHES = 10;

    private final ConsumerGroup group;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final ScheduledExecutorService chores;
    private Thread poller;

    public AggregatorLoop(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters) {
        this(redis, settings, meters, Clock.systemUTC());
    }

    AggregatorLoop(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters, Clock clock) {
        this.redis = redis;
        this.settings = settings;
        this.metrics = new AggregatorMetrics(meters);
        ChunkStore chunks = new ChunkStore(redis, settings);
        ResultWriter writer = new ResultWriter(redis, settings);
        ResultFactory results = new ResultFactory(new Rover(settings.roverAlpha(), settings.roverNullConfidence()),
                clock);
        this.handler = new HypothesisHandler(redis, settings, chunks, writer, results, metrics, clock);
        this.sweeper = new DeadlineSweeper(chunks, writer, results, metrics, clock);
        this.group = new ConsumerGroup(redis, StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP,
                settings.consumerName());
        this.chores = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("aggregator-chores").daemon().factory());
    }

    /** Creates the group if missing and starts reading. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException("aggregator already started: " + state.get());
        }
        if (group.create()) {
            LOG.infof("created group %s on %s", StreamKeys.AGGREGATOR_GROUP, StreamKeys.HYPOTHESES);
        }
        poller = Thread.ofPlatform().name("aggregator-poller").start(this::pollLoop);
        schedule(this::sweepDeadlines, settings.deadlineSweepInterval().toMillis());
        schedule(this::maintain, settings.maintenanceInterval().toMillis());
        LOG.infof("aggregator %s reading %s in group %s", settings.consumerName(), StreamKeys.HYPOTHESES,
                StreamKeys.AGGREGATOR_GROUP);
    }

    public State state() {
        return state.get();
    }

    public String consumerName() {
        return settings.consumerName();
    }

    /** Stops reading, finishes the batch in hand, leaves the rest pending. */
    public void stop() {
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            state.compareAndSet(State.NEW, State.STOPPED);
            return;
        }
        stopSignal.countDown();
        chores.shutdown();
        try {
            long grace = settings.shutdownGrace().toMillis();
            chores.awaitTermination(grace, TimeUnit.MILLISECONDS);
            if (poller != null) {
                poller.join(grace + settings.pollTimeout().plus(redis.commandTimeout()).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chores.shutdownNow();
        state.set(State.STOPPED);
        LOG.infof("aggregator %s stopped", settings.consumerName());
    }

    @Override
    public void close() {
        stop();
    }

    private void schedule(Runnable chore, long everyMillis) {
        chores.scheduleWithFixedDelay(chore, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    private void pollLoop() {
        try (StreamReader reader = redis.openReader()) {
            try {
                recoverOwnPending(reader);
            } catch (RuntimeException e) {
                // What is left stays pending and comes back through a claim.
                LOG.warnf("could not recover own pending entries: %s", e.getMessage());
            }
            while (state.get() == State.RUNNING) {
                try {
                    pollOnce(reader);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "unexpected failure in the poller of %s", settings.consumerName());
                    pauseAfterRedisError(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Entries this consumer name already holds (a restart under the same name) are handled first. */
    private void recoverOwnPending(StreamReader reader) throws InterruptedException {
        String after = "0";
        while (state.get() == State.RUNNING) {
            Optional<List<StreamEntry>> own = read(reader, null, after);
            if (own.isEmpty()) {
                continue;
            }
            if (own.get().isEmpty()) {
                return;
            }
            after = own.get().getLast().id();
            handleInOrder(group.withDeliveryCounts(own.get()));
        }
    }

    private void pollOnce(StreamReader reader) throws InterruptedException {
        read(reader, settings.pollTimeout(), ">")
                .ifPresent(entries -> entries.forEach(entry -> handleSafely(entry, 1)));
    }

    /**
     * One XREADGROUP; empty after a failure, which it has already waited out. A group that vanished
     * (Redis restarted without persistence, the stream was deleted) is created again.
     */
    private Optional<List<StreamEntry>> read(StreamReader reader, Duration block, String id)
            throws InterruptedException {
        try {
            return Optional.of(reader.readGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP,
                    settings.consumerName(), settings.batchSize(), block, id));
        } catch (RedisCommandException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                LOG.warnf("group %s on %s is gone; creating it again", StreamKeys.AGGREGATOR_GROUP,
                        StreamKeys.HYPOTHESES);
                recreateGroup();
            } else {
                pauseAfterRedisError(e);
            }
        } catch (RedisUnavailableException e) {
            pauseAfterRedisError(e);
        }
        return Optional.empty();
    }

    private void recreateGroup() throws InterruptedException {
        try {
            group.create();
        } catch (RuntimeException e) {
            pauseAfterRedisError(e);
        }
    }

    private void handleInOrder(List<ConsumerGroup.Delivery> deliveries) {
        deliveries.forEach(d -> handleSafely(d.entry(), d.deliveries()));
    }

    /** A failure leaves the entry pending: it comes back through a claim, with its delivery count raised. */
    private void handleSafely(StreamEntry entry, long deliveries) {
        try {
            handler.handle(entry, deliveries);
        } catch (RedisUnavailableException e) {
            LOG.warnf("Redis failed while handling %s; it stays pending: %s", entry.id(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure handling %s; it stays pending", entry.id());
        }
    }

    private void sweepDeadlines() {
        try {
            int decided = sweeper.sweep();
            if (decided > 0) {
                LOG.debugf("decided %d consensus chunk(s) at their deadline", decided);
            }
        } catch (RuntimeException e) {
            LOG.warnf("deadline sweep failed, will retry: %s", e.getMessage());
        }
    }

    private void maintain() {
        try {
            reclaimAbandoned();
            int removed = group.removeDepartedConsumers(settings.consumerRemoveIdle());
            if (removed > 0) {
                LOG.infof("removed %d departed instance(s) from group %s", removed, StreamKeys.AGGREGATOR_GROUP);
            }
            group.trim();
        } catch (RuntimeException e) {
            LOG.warnf("maintenance of %s failed, will retry: %s", StreamKeys.HYPOTHESES, e.getMessage());
        }
    }

    /** Claims entries idle past the claim time (their instance died) and handles them here. */
    private void reclaimAbandoned() {
        List<ConsumerGroup.Delivery> claimed = group.reclaim(settings.claimIdle(),
                settings.batchSize() * MAX_CLAIM_BATCHES, List.of());
        if (!claimed.isEmpty()) {
            metrics.reclaimed(claimed.size());
            LOG.infof("claimed %d abandoned hypothes%s", claimed.size(), claimed.size() == 1 ? "is" : "es");
            handleInOrder(claimed);
        }
    }

    private void pauseAfterRedisError(RuntimeException e) throws InterruptedException {
        LOG.warnf("reading %s failed, retrying: %s", StreamKeys.HYPOTHESES, e.getMessage());
        stopSignal.await(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
