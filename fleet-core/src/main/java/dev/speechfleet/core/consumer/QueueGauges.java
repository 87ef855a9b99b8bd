package dev.speechfleet.core.consumer;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code stream.lag} and {@code stream.pending} gauges of one consumer group, the figures KEDA
 * scales on (ADR 0071, 0075). They are read from {@code XINFO GROUPS} by a chore of the loop, never on
 * the read path, and show the last figures read: a failed read leaves them as they were. Until the
 * first read they are -1, as Redis reports a lag it cannot tell.
 */
final class QueueGauges {

    static final String LAG = "stream.lag";
    static final String PENDING = "stream.pending";

    private final RedisStreams redis;
    private final String stream;
    private final String group;
    private final MeterRegistry registry;
    private final AtomicLong lag = new AtomicLong(-1);
    private final AtomicLong pending = new AtomicLong(-1);
    private final Gauge lagGauge;
    private final Gauge pendingGauge;

    QueueGauges(RedisStreams redis, String stream, String group, MeterRegistry registry) {
        this.redis = redis;
        this.stream = stream;
        this.group = group;
        this.registry = registry;
        lagGauge = Gauge.builder(LAG, lag, AtomicLong::doubleValue)
                .description("Entries not yet delivered to the group (XINFO GROUPS lag); -1 when Redis cannot tell")
                .tag("stream", stream).tag("group", group).register(registry);
        pendingGauge = Gauge.builder(PENDING, pending, AtomicLong::doubleValue)
                .description("Entries delivered to the group and not acknowledged yet (XINFO GROUPS pending)")
                .tag("stream", stream).tag("group", group).register(registry);
    }

    /** Reads the group's line of {@code XINFO GROUPS}; a stream or group that does not exist has nothing queued. */
    void refresh() {
        StreamInfo.Group line = redis.groups(stream).stream().filter(g -> g.name().equals(group)).findFirst()
                .orElse(new StreamInfo.Group(group, 0, 0, "0-0", 0));
        lag.set(line.lag());
        pending.set(line.pending());
    }

    /** Removes the gauges: a stopped loop no longer reports its group. */
    void remove() {
        registry.remove(lagGauge);
        registry.remove(pendingGauge);
    }
}
