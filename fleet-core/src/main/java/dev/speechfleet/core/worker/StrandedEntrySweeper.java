package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.EntryHandler;
import dev.speechfleet.core.liveness.LivenessView;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.StreamKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jboss.logging.Logger;

/**
 * Moves entries stranded on provider streams that nobody consumes (DESIGN.md section 4, ADR 0009).
 * For each provider without a live consumer, entries that waited past the deadline are taken
 * through the provider's own consumer group under this sweeper's consumer name: never-delivered ones
 * by an atomic "read what is older than the deadline", pending ones left by dead consumers by
 * {@code XCLAIM} with a minimum idle time. Redis delivers or hands each entry to one consumer only,
 * so any number of sweepers (one per router instance) can run at once. Each taken entry goes through the worker's own
 * {@link ChunkProcessor} with a provider that answers "no live consumer" as an {@code UNAVAILABLE}
 * failure: it is re-routed to the next provider that may take it, or ends as a dead letter with a
 * failed hypothesis (the device gets an error result for its seq), and only then acknowledged. The
 * stream is then trimmed below its oldest unacknowledged entry, so only moved entries go, and the
 * sweeper leaves the group once it holds nothing.
 *
 * <p>Not thread-safe: one thread calls {@link #sweep()}.
 */
public final class StrandedEntrySweeper {

    private static final Logger LOG = Logger.getLogger(StrandedEntrySweeper.class);
    private static final int MAX_BATCHES_PER_STREAM = 16;

    /**
     * How the sweeper behaves.
     *
     * @param deadline              an entry that waited this long on a stream nobody consumes is moved on
     * @param scaleFromZeroDeadline the same on a scale-from-zero provider (its first worker may take a while)
     * @param batchSize             most entries taken from one stream per read
     * @param scaleFromZero         providers that stay routable with no consumer
     */
    public record Settings(Duration deadline, Duration scaleFromZeroDeadline, int batchSize,
            Set<String> scaleFromZero) {

        public Settings {
            scaleFromZero = Set.copyOf(scaleFromZero);
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1");
            }
        }
    }

    private final RedisStreams redis;
    private final List<String> providers;
    private final Settings settings;
    private final WorkerSettings worker;
    private final LivenessView liveness;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, Lane> lanes = new LinkedHashMap<>();
    /** Never counted down: the sweeper's processing never waits for a retry. */
    private final CountDownLatch neverStops = new CountDownLatch(1);

    /**
     * @param providers the provider streams to watch
     * @param worker    consumer name (a {@link ConsumerNames#sweeper sweeper name}), default chain,
     *                  attempt cap and stream caps, as a worker has them
     * @param liveness  which providers have a live consumer, refreshed in the background
     */
    public StrandedEntrySweeper(RedisStreams redis, List<String> providers, Settings settings, WorkerSettings worker,
            LivenessView liveness, MeterRegistry meters, Clock clock) {
        if (!ConsumerNames.isSweeper(worker.consumerName())) {
            throw new IllegalArgumentException("a sweeper's consumer name must start with "
                    + ConsumerNames.SWEEPER_PREFIX + " so that it never counts as a live consumer: "
                    + worker.consumerName());
        }
        this.redis = redis;
        this.providers = List.copyOf(providers);
        this.settings = settings;
        this.worker = worker;
        this.liveness = liveness;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * One round over every watched provider without a live consumer; returns how many entries were
     * moved on or ended. Does nothing while the liveness view is not current: a stale view must not
     * take entries from providers that are in fact served.
     */
    public int sweep() {
        if (!liveness.current()) {
            LOG.debug("liveness view not current; not sweeping");
            return 0;
        }
        int moved = 0;
        for (String provider : providers) {
            if (liveness.hasLiveConsumer(provider)) {
                continue;
            }
            try {
                moved += lane(provider).sweep();
            } catch (RuntimeException e) {
                // What was taken and not finished stays pending under this sweeper and is claimed again later.
                LOG.warnf("sweeping %s failed, will retry: %s", StreamKeys.audioStream(provider), e.getMessage());
            }
        }
        return moved;
    }

    public String consumerName() {
        return worker.consumerName();
    }

    private Lane lane(String provider) {
        return lanes.computeIfAbsent(provider, Lane::new);
    }

    private boolean accepts(String provider) {
        return settings.scaleFromZero().contains(provider) || liveness.hasLiveConsumer(provider);
    }

    /** One provider's stream, group and processing. */
    private final class Lane {

        private final String provider;
        private final ConsumerGroup group;
        private final ChunkProcessor processor;
        private final WorkerMetrics metrics;
        private final Duration deadline;

        Lane(String provider) {
            this.provider = provider;
            this.deadline = settings.scaleFromZero().contains(provider) ? settings.scaleFromZeroDeadline()
                    : settings.deadline();
            WorkerStreams streams = new WorkerStreams(redis, provider, worker);
            this.group = streams.group();
            this.metrics = new WorkerMetrics(meters, WorkerMetrics.SWEEPER, provider, () -> 0);
            this.processor = new ChunkProcessor(new NoLiveConsumer(provider, deadline), streams, worker, neverStops,
                    metrics, clock, StrandedEntrySweeper.this::accepts);
        }

        int sweep() {
            if (!groupExists()) {
                return 0;
            }
            int moved = 0;
            for (int batch = 0; batch < MAX_BATCHES_PER_STREAM; batch++) {
                List<ConsumerGroup.Delivery> taken = take();
                if (taken.isEmpty()) {
                    break;
                }
                process(taken);
                moved += taken.size();
            }
            if (moved > 0) {
                LOG.infof("moved %d entr%s that waited over %s on %s, which has no live consumer", moved,
                        moved == 1 ? "y" : "ies", deadline, group.stream());
                group.trim();
            }
            group.leaveIfEmpty();
            return moved;
        }

        /** Processes a batch in order, keeping the rest of it fresh so that no other sweeper claims it meanwhile. */
        private void process(List<ConsumerGroup.Delivery> taken) {
            long touchedAt = System.nanoTime();
            long touchEvery = worker.loop().claimIdle().toNanos() / 3;
            for (int i = 0; i < taken.size(); i++) {
                if (System.nanoTime() - touchedAt > touchEvery) {
                    group.keepAlive(taken.subList(i, taken.size()).stream().map(d -> d.entry().id()).toList());
                    touchedAt = System.nanoTime();
                }
                ConsumerGroup.Delivery delivery = taken.get(i);
                ChunkProcessor.Outcome outcome = processor.process(delivery.entry(), delivery.deliveries());
                if (outcome.disposition() == EntryHandler.Disposition.ACKNOWLEDGE) {
                    group.ack(delivery.entry().id());
                }
                metrics.outcome(outcome);
            }
        }

        /** Entries pending on dead consumers past the deadline, then never-delivered ones older than it. */
        private List<ConsumerGroup.Delivery> take() {
            List<ConsumerGroup.Delivery> taken = new ArrayList<>(claimAbandoned(settings.batchSize()));
            if (!taken.isEmpty()) {
                metrics.reclaimed(taken.size());
            }
            if (taken.size() < settings.batchSize()) {
                taken.addAll(group.readUndeliveredOlderThan(deadline, settings.batchSize() - taken.size()));
            }
            return taken;
        }

        /**
         * Claims pending entries idle past the deadline. Entries a sweeper holds (another router's,
         * or this one's after a failure) are claimed only past the workers' claim-idle: that sweeper
         * may still be working on them. {@code XCLAIM} re-checks the idle time, so of two sweepers
         * claiming one entry only the first gets it.
         */
        private List<ConsumerGroup.Delivery> claimAbandoned(int max) {
            Duration claimIdle = worker.loop().claimIdle();
            Duration sweeperIdle = deadline.compareTo(claimIdle) > 0 ? deadline : claimIdle;
            List<ConsumerGroup.Delivery> claimed = new ArrayList<>();
            for (StreamInfo.Pending pending : redis.pendingIdle(group.stream(), group.group(), deadline, max * 4)) {
                Duration minIdle = ConsumerNames.isSweeper(pending.consumer()) ? sweeperIdle : deadline;
                if (claimed.size() >= max || pending.idleMs() < minIdle.toMillis()) {
                    continue;
                }
                redis.claim(group.stream(), group.group(), group.consumer(), minIdle, List.of(pending.id()))
                        .forEach(entry -> claimed.add(new ConsumerGroup.Delivery(entry, pending.deliveries() + 1)));
            }
            return claimed;
        }

        /**
         * Creates the provider's group when its stream has entries but no group (nobody ever consumed
         * it), from 0 so that existing entries are seen, as a worker creates it. A missing stream is
         * left alone: there is nothing to sweep and no stream to create.
         */
        private boolean groupExists() {
            if (redis.send(Request.cmd(Command.EXISTS).arg(group.stream())).toLong() == 0) {
                return false;
            }
            if (redis.groups(group.stream()).stream().noneMatch(g -> g.name().equals(group.group()))) {
                redis.createGroup(group.stream(), group.group());
                LOG.infof("created group %s on %s (no consumer had) to sweep it", group.group(), group.stream());
            }
            return true;
        }
    }

    /** Stands for a provider nobody consumes: every chunk fails over as {@code UNAVAILABLE}. */
    private record NoLiveConsumer(String name, Duration deadline) implements TranscriptionProvider {

        @Override
        public Transcript transcribe(AudioChunk chunk) throws TranscriptionException {
            throw TranscriptionException.unavailable("no live consumer on " + StreamKeys.audioStream(name)
                    + " and the entry waited over " + deadline);
        }
    }
}
