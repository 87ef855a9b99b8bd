package dev.speechfleet.aggregator;

import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.core.consumer.ConsumerLoop;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * One aggregator instance: a {@link ConsumerLoop} of group {@code aggregator} on
 * {@code transcription:hypotheses} whose handlers (up to {@code aggregator.concurrency} at once, on
 * virtual threads; or the poller, batch after batch, when it is 0) give each entry to the
 * {@link HypothesisHandler}; the loop's chores thread also finishes consensus chunks whose deadline
 * passed ({@link DeadlineSweeper}). The instance keeps no chunk state of its own, so any number of
 * them share the group. Stopping stops reading, finishes the batch in hand and leaves anything
 * unfinished pending for the other instances.
 */
public final class AggregatorLoop {

    private static final Logger LOG = Logger.getLogger(AggregatorLoop.class);

    private AggregatorLoop() {
    }

    /** An instance, not started. */
    public static ConsumerLoop create(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters) {
        return create(redis, settings, meters, EntryTracing.off());
    }

    /** An instance whose result writes are spans (ADR 0075), not started. */
    public static ConsumerLoop create(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters,
            EntryTracing tracing) {
        return create(redis, settings, meters, Clock.systemUTC(), tracing);
    }

    static ConsumerLoop create(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters, Clock clock) {
        return create(redis, settings, meters, clock, EntryTracing.off());
    }

    private static ConsumerLoop create(RedisStreams redis, AggregatorSettings settings, MeterRegistry meters,
            Clock clock, EntryTracing tracing) {
        AggregatorMetrics metrics = new AggregatorMetrics(meters);
        ChunkStore chunks = new ChunkStore(redis, settings);
        ResultWriter writer = new ResultWriter(redis, settings, tracing);
        ResultFactory results = new ResultFactory(new Rover(settings.roverAlpha(), settings.roverNullConfidence()),
                clock);
        HypothesisHandler handler = new HypothesisHandler(redis, settings, chunks, writer, results, metrics, clock);
        DeadlineSweeper deadlines = new DeadlineSweeper(chunks, writer, results, metrics, clock);
        ConsumerGroup group = new ConsumerGroup(redis, StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP,
                settings.consumerName());
        return ConsumerLoop.builder(redis, group, handler)
                .name(StreamKeys.AGGREGATOR_GROUP)
                .settings(settings.loop())
                .chore("consensus deadline sweep", settings.deadlineSweepInterval(), () -> sweep(deadlines))
                .onReclaimed(metrics::reclaimed)
                .queueGauges(meters)
                .build();
    }

    private static void sweep(DeadlineSweeper deadlines) {
        int decided = deadlines.sweep();
        if (decided > 0) {
            LOG.debugf("decided %d consensus chunk(s) at their deadline", decided);
        }
    }
}
