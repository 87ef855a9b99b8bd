package dev.speechfleet.core.consumer;

import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisCommandException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamReader;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.jboss.logging.Logger;

/**
 * One consumer of a consumer group, the machine every reader of the fleet runs (ADR 0003, 0080): the
 * provider workers around their provider, the results aggregator around its hypothesis handler. The
 * shape of Spring Data Redis' {@code StreamPollTask}: one loop with explicit state and one
 * {@link EntryHandler} per subscription.
 *
 * <p>A poller thread takes free slots, gives them first to entries that dead consumers left pending
 * (when a claim is due), then reads new entries ({@code XREADGROUP … >}), never more than it has free
 * slots for; each entry goes to the handler (on a pool of handler threads, or on the poller itself),
 * and is acknowledged when the handler says it reached its end. Before the first read, the entries
 * this consumer name already holds (a restart) are read back. A group that vanished ({@code NOGROUP}:
 * Redis lost its data) is created again; any other failed read pauses and retries, so the poller
 * never dies. A chores thread keeps the entries in flight from being claimed, removes consumers that
 * left holding nothing, trims the stream below its oldest unacknowledged entry, and runs the
 * subscriber's own chores.
 *
 * <p>Lifecycle: {@code NEW → RUNNING → STOPPING → STOPPED}. Stopping stops reading at once, lets the
 * entries in hand finish for the shutdown grace, and leaves the rest pending for other consumers.
 */
public final class ConsumerLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
    /** Most ids one {@code XACK} carries. */
    private static final int MAX_IDS_PER_ACK = 512;

    /** Where the loop is in its life. */
    public enum State { NEW, RUNNING, STOPPING, STOPPED }

    /** A task of the chores thread, run every {@code interval}. */
    private record Chore(String name, Duration interval, Runnable task) {
    }

    private final RedisStreams redis;
    private final ConsumerGroup group;
    private final EntryHandler handler;
    private final LoopSettings settings;
    private final String name;
    private final Runnable beforeReading;
    private final Runnable maintenance;
    private final Runnable stopping;
    private final Runnable choresStopped;
    private final IntConsumer reclaimed;
    private final List<Chore> chores;
    /** The group's lag and pending gauges, when the loop reports them. */
    private final QueueGauges queueGauges;

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Semaphore freeSlots;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** Entries that reached their end, waiting for the next {@code XACK} (one for many ids). */
    private final Queue<String> toAcknowledge = new ConcurrentLinkedQueue<>();
    /** Held by the one thread sending an {@code XACK} at a time. */
    private final AtomicBoolean acknowledging = new AtomicBoolean();
    /** Handler threads; {@code null} when the poller handles what it reads. */
    private final ExecutorService handlers;
    private final ScheduledExecutorService choresThread;
    private Thread poller;
    /** Owned by the poller thread. */
    private long lastClaimNanos = System.nanoTime();
    /** Owned by the poller thread: the last claim filled every slot, so more may be waiting. */
    private boolean claimBacklog;

    private ConsumerLoop(Builder b) {
        this.redis = b.redis;
        this.group = b.group;
        this.handler = b.handler;
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.name = b.name;
        this.beforeReading = b.beforeReading;
        this.maintenance = b.maintenance;
        this.stopping = b.stopping;
        this.choresStopped = b.choresStopped;
        this.reclaimed = b.reclaimed;
        this.queueGauges = b.meters == null ? null
                : new QueueGauges(redis, group.stream(), group.group(), b.meters);
        List<Chore> all = new ArrayList<>(b.chores);
        if (queueGauges != null) {
            // Off the read path, a chore of its own: a failing XINFO costs neither reads nor maintenance.
            all.add(new Chore("queue gauges", settings.maintenanceInterval(), queueGauges::refresh));
        }
        this.chores = List.copyOf(all);
        this.freeSlots = new Semaphore(settings.slots());
        this.handlers = settings.handlerThreads() == 0 ? null
                // Virtual: one thread per entry in hand; the free slots still bound how many at once.
                : settings.virtualThreads() ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name(name + "-worker-", 0).factory())
                : Executors.newFixedThreadPool(settings.handlerThreads(),
                        Thread.ofPlatform().name(name + "-worker-", 0).factory());
        this.choresThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name(name + "-maintenance").daemon().factory());
    }

    /** A loop of {@code group}'s consumer that hands every entry to {@code handler}. */
    public static Builder builder(RedisStreams redis, ConsumerGroup group, EntryHandler handler) {
        return new Builder(redis, group, handler);
    }

    /** Creates the group if missing (registering this consumer), runs the start hook and starts reading. */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException(name + " already started: " + state.get());
        }
        if (group.create()) {
            LOG.infof("created group %s on %s", group.group(), group.stream());
        }
        beforeReading.run();
        poller = Thread.ofPlatform().name(name + "-poller").start(this::pollLoop);
        schedule(new Chore("maintenance", settings.maintenanceInterval(), this::maintain));
        chores.forEach(this::schedule);
        LOG.infof("%s reading %s in group %s as %s (%s)", name, group.stream(), group.group(), group.consumer(),
                settings.handlerThreads() == 0 ? "batches of " + settings.batchSize() + " on the poller"
                        : settings.handlerThreads() + " at once");
    }

    public State state() {
        return state.get();
    }

    public String consumerName() {
        return group.consumer();
    }

    /** Entries being handled right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Stops reading, runs the stopping hook, stops the chores (then runs their hook), and waits up to the
     * shutdown grace for the entries in hand; what is left stays pending for other consumers.
     */
    public void stop() {
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            state.compareAndSet(State.NEW, State.STOPPED);
            return;
        }
        stopSignal.countDown();
        runQuietly("stopping hook", stopping);
        stopChores();
        runQuietly("hook after the chores", choresStopped);
        if (queueGauges != null) {
            queueGauges.remove();
        }
        joinPoller();
        drainHandlers();
        acknowledgeEnded();
        state.set(State.STOPPED);
        LOG.infof("%s stopped reading %s as %s", name, group.stream(), group.consumer());
    }

    @Override
    public void close() {
        stop();
    }

    private void pollLoop() {
        try (StreamReader reader = redis.openReader()) {
            recoverOwnPending(reader);
            while (state.get() == State.RUNNING) {
                try {
                    pollOnce(reader);
                } catch (RuntimeException e) {
                    // The poller is the loop's only reader: it must outlive any single failed round.
                    LOG.errorf(e, "polling %s failed; retrying", group.stream());
                    pause();
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
            int slots = acquireSlots();
            if (slots == 0) {
                continue;
            }
            List<ConsumerGroup.Delivery> own;
            try {
                List<StreamEntry> read = reader.readGroup(group.stream(), group.group(), group.consumer(), slots,
                        null, after);
                own = read.isEmpty() ? List.of() : group.withDeliveryCounts(read);
            } catch (RuntimeException e) {
                freeSlots.release(slots);
                LOG.warnf("reading back the pending entries of %s failed; they come back through a claim: %s",
                        group.consumer(), e.getMessage());
                return;
            }
            freeSlots.release(slots - own.size());
            if (own.isEmpty()) {
                return;
            }
            after = own.getLast().entry().id();
            own.forEach(d -> dispatch(d.entry(), d.deliveries()));
            if (handlers == null) {
                acknowledgeEnded();
            }
        }
    }

    /**
     * One round: take free slots, give them first to entries abandoned by dead consumers (when a claim
     * is due), then to new entries. Only this thread takes slots for reading, so claiming and reading
     * never starve each other.
     */
    private void pollOnce(StreamReader reader) throws InterruptedException {
        int slots = acquireSlots();
        if (slots == 0) {
            return;
        }
        try {
            slots -= claimIfDue(slots);
            if (slots == 0) {
                return;
            }
            List<StreamEntry> entries = reader.readGroup(group.stream(), group.group(), group.consumer(), slots,
                    settings.pollTimeout(), ">");
            slots -= entries.size();
            entries.forEach(entry -> dispatch(entry, 1));
            if (handlers == null) {
                acknowledgeEnded();
            }
        } catch (RedisUnavailableException e) {
            LOG.warnf("reading %s failed, retrying: %s", group.stream(), e.getMessage());
            pause();
        } catch (RedisCommandException e) {
            recoverFromRefusal(e);
        } finally {
            freeSlots.release(slots);
        }
    }

    /**
     * A Redis that lost its data (restarted without persistence, failed over, group deleted by hand)
     * answers NOGROUP: the group is created again and reading goes on. Any other refusal is logged
     * and retried after a pause.
     */
    private void recoverFromRefusal(RedisCommandException e) throws InterruptedException {
        if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
            LOG.warnf("group %s on %s is gone (%s); creating it again", group.group(), group.stream(),
                    e.getMessage());
            try {
                group.create();
                return;
            } catch (RuntimeException again) {
                LOG.warnf("creating group %s failed: %s", group.group(), again.getMessage());
            }
        } else {
            LOG.errorf("Redis refused reading %s: %s", group.stream(), e.getMessage());
        }
        pause();
    }

    /**
     * Claims up to {@code slots} abandoned entries once per maintenance interval, or at once again while
     * the last claim filled every slot (a dead consumer's backlog); returns how many it claimed.
     */
    private int claimIfDue(int slots) {
        long now = System.nanoTime();
        if (!claimBacklog && now - lastClaimNanos < settings.maintenanceInterval().toNanos()) {
            return 0;
        }
        lastClaimNanos = now;
        List<ConsumerGroup.Delivery> claimed = group.reclaim(settings.claimIdle(), slots, inFlight);
        claimBacklog = claimed.size() == slots;
        if (!claimed.isEmpty()) {
            reclaimed.accept(claimed.size());
            LOG.infof("claimed %d abandoned entr%s on %s", claimed.size(), claimed.size() == 1 ? "y" : "ies",
                    group.stream());
            claimed.forEach(d -> dispatch(d.entry(), d.deliveries()));
            if (handlers == null) {
                acknowledgeEnded();
            }
        }
        return claimed.size();
    }

    /** Waits for at least one free slot (up to the poll timeout), then takes as many as a read may use. */
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

    /** Hands one entry to the handler, on a handler thread or here; the caller has taken a slot for it. */
    private void dispatch(StreamEntry entry, long deliveries) {
        inFlight.add(entry.id());
        if (handlers == null) {
            handle(entry, deliveries);
            return;
        }
        try {
            handlers.execute(() -> handle(entry, deliveries));
        } catch (RejectedExecutionException e) {
            inFlight.remove(entry.id());
            freeSlots.release();
        }
    }

    /**
     * A failure leaves the entry pending: it comes back through a claim, with its delivery count raised.
     * An entry that reached its end is acknowledged with the others that ended meanwhile: at once on a
     * handler thread, after the batch when the poller handles it.
     */
    private void handle(StreamEntry entry, long deliveries) {
        boolean ended = false;
        try {
            ended = handler.handle(entry, deliveries) == EntryHandler.Disposition.ACKNOWLEDGE;
        } catch (RedisUnavailableException e) {
            LOG.warnf("Redis failed while handling %s of %s; it stays pending: %s", entry.id(), group.stream(),
                    e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "unexpected failure handling %s of %s; it stays pending", entry.id(), group.stream());
        } finally {
            if (ended) {
                toAcknowledge.add(entry.id());
            }
            inFlight.remove(entry.id());
            freeSlots.release();
        }
        if (ended && handlers != null) {
            acknowledgeEnded();
        }
    }

    /**
     * One {@code XACK} for every entry that ended since the last one (group commit): the thread that finds
     * no acknowledgement under way sends it, the others only queue their ids, and whoever holds the turn
     * looks again after giving it up, so no id waits for a later entry. A failed {@code XACK} leaves its
     * entries pending: they come back through a claim, as when a handler fails.
     */
    private void acknowledgeEnded() {
        while (!toAcknowledge.isEmpty() && acknowledging.compareAndSet(false, true)) {
            List<String> ids = new ArrayList<>();
            try {
                for (String id; ids.size() < MAX_IDS_PER_ACK && (id = toAcknowledge.poll()) != null; ) {
                    ids.add(id);
                }
                if (!ids.isEmpty()) {
                    group.ack(ids);
                }
            } catch (RuntimeException e) {
                LOG.warnf("acknowledging %d entr%s of %s failed; they stay pending: %s", ids.size(),
                        ids.size() == 1 ? "y" : "ies", group.stream(), e.getMessage());
            } finally {
                acknowledging.set(false);
            }
        }
    }

    /** The group's chores, then the subscriber's own maintenance; a failure is retried next time. */
    private void maintain() {
        group.keepAlive(inFlight);
        maintenance.run();
        int removed = group.removeDepartedConsumers(settings.consumerRemoveIdle());
        if (removed > 0) {
            LOG.infof("removed %d departed consumer(s) from %s", removed, group.group());
        }
        group.trim();
    }

    private void schedule(Chore chore) {
        long every = chore.interval().toMillis();
        choresThread.scheduleWithFixedDelay(() -> runQuietly(chore.name() + " of " + group.stream(), chore.task()),
                every, every, TimeUnit.MILLISECONDS);
    }

    private static void runQuietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warnf("%s failed, will retry: %s", what, e.getMessage());
        }
    }

    /** Lets a chore in progress finish (within the grace), so that nothing it writes lands after the stop. */
    private void stopChores() {
        choresThread.shutdown();
        try {
            choresThread.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        choresThread.shutdownNow();
    }

    private void joinPoller() {
        if (poller == null) {
            return;
        }
        // A poller that handles what it reads finishes the batch in hand first.
        Duration handling = handlers == null ? settings.shutdownGrace() : Duration.ZERO;
        try {
            poller.join(settings.pollTimeout().plus(redis.commandTimeout()).plus(handling).toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drainHandlers() {
        if (handlers == null) {
            return;
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("%d entr%s of %s still in hand after %s; leaving them pending", inFlight.size(),
                        inFlight.size() == 1 ? "y" : "ies", group.stream(), settings.shutdownGrace());
                handlers.shutdownNow();
                handlers.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handlers.shutdownNow();
        }
    }

    private void pause() throws InterruptedException {
        stopSignal.await(settings.pollTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Builds a loop: the group, the handler and the settings are required; every hook is optional. */
    public static final class Builder {

        private final RedisStreams redis;
        private final ConsumerGroup group;
        private final EntryHandler handler;
        private LoopSettings settings;
        private String name;
        private Runnable beforeReading = () -> { };
        private Runnable maintenance = () -> { };
        private Runnable stopping = () -> { };
        private Runnable choresStopped = () -> { };
        private IntConsumer reclaimed = count -> { };
        private final List<Chore> chores = new ArrayList<>();
        private MeterRegistry meters;

        private Builder(RedisStreams redis, ConsumerGroup group, EntryHandler handler) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.group = Objects.requireNonNull(group, "group");
            this.handler = Objects.requireNonNull(handler, "handler");
            this.name = group.group();
        }

        public Builder settings(LoopSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Names the loop's threads ({@code <name>-poller}, {@code <name>-worker-<n>},
         * {@code <name>-maintenance}) and its log lines.
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Runs once after the group is created, before the first read. */
        public Builder beforeReading(Runnable hook) {
            this.beforeReading = hook;
            return this;
        }

        /** Runs every maintenance interval on the chores thread, after the entries in flight were kept fresh. */
        public Builder maintenance(Runnable hook) {
            this.maintenance = hook;
            return this;
        }

        /** Runs first when the loop stops, while entries may still be in hand (tell waits to end). */
        public Builder onStopping(Runnable hook) {
            this.stopping = hook;
            return this;
        }

        /** Runs when stopping once the chores have ended, so that nothing they write comes after it. */
        public Builder afterChoresStopped(Runnable hook) {
            this.choresStopped = hook;
            return this;
        }

        /** Told how many abandoned entries each claim took. */
        public Builder onReclaimed(IntConsumer counter) {
            this.reclaimed = counter;
            return this;
        }

        /** Another task of the chores thread, every {@code interval}; a failure is logged and retried. */
        public Builder chore(String name, Duration interval, Runnable task) {
            chores.add(new Chore(name, interval, task));
            return this;
        }

        /**
         * Reports the group's {@code stream.lag} and {@code stream.pending} gauges in {@code meters},
         * read from {@code XINFO GROUPS} every maintenance interval by a chore of their own.
         */
        public Builder queueGauges(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        public ConsumerLoop build() {
            return new ConsumerLoop(this);
        }
    }
}
