package dev.speechfleet.core.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One consumer's view of a consumer group on a stream, with the chores every reader of the fleet
 * shares: creating the group, reclaiming what dead consumers left pending (with delivery counts),
 * keeping its own in-flight entries from being reclaimed, removing departed consumers, trimming.
 * Used by the provider worker and by the results aggregator.
 */
public final class ConsumerGroup {

    /** Removes a consumer only if it still holds nothing and is still idle: atomic on the stream's key. */
    private static final String REMOVE_IF_IDLE_AND_EMPTY = """
            local consumers = redis.call('XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
            for _, c in ipairs(consumers) do
              local info = {}
              for i = 1, #c, 2 do info[c[i]] = c[i + 1] end
              if info['name'] == ARGV[2] then
                if tonumber(info['pending']) == 0 and tonumber(info['idle']) >= tonumber(ARGV[3]) then
                  return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
                end
                return -1
              end
            end
            return -1""";

    /**
     * Delivers to this consumer the entries not yet delivered to the group whose ids (the time they
     * were added, by Redis' clock) are at least ARGV[3] ms old, at most ARGV[4]. Atomic on the
     * stream's key, so the read delivers exactly the entries the range found, never younger ones.
     */
    private static final String READ_UNDELIVERED_OLDER_THAN = """
            local last = nil
            for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
              local info = {}
              for i = 1, #g, 2 do info[g[i]] = g[i + 1] end
              if info['name'] == ARGV[1] then last = info['last-delivered-id'] end
            end
            if last == nil then
              return redis.error_reply('NOGROUP No such consumer group ' .. ARGV[1] .. ' for key ' .. KEYS[1])
            end
            local now = redis.call('TIME')
            local cutoff = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) - tonumber(ARGV[3])
            if cutoff < 0 then return {} end
            local old = redis.call('XRANGE', KEYS[1], '(' .. last, string.format('%.0f', cutoff), 'COUNT', ARGV[4])
            if #old == 0 then return {} end
            return redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', #old, 'STREAMS', KEYS[1], '>')""";

    private static final int MAX_CLAIM_ROUNDS = 10;

    /** An entry with how many times it has been delivered. */
    public record Delivery(StreamEntry entry, long deliveries) {
    }

    private final RedisStreams redis;
    private final String stream;
    private final String group;
    private final String consumer;

    public ConsumerGroup(RedisStreams redis, String stream, String group, String consumer) {
        this.redis = redis;
        this.stream = stream;
        this.group = group;
        this.consumer = consumer;
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public String consumer() {
        return consumer;
    }

    /**
     * Creates the group (and the stream) if missing, and registers this consumer in it, so that
     * {@code XINFO CONSUMERS} shows a new consumer before anything was delivered to it (Redis 7.0
     * otherwise lists a consumer only from its first delivery). True when the group was created.
     */
    public boolean create() {
        boolean created = redis.createGroup(stream, group);
        redis.send(Request.cmd(Command.XGROUP).arg("CREATECONSUMER").arg(stream).arg(group).arg(consumer));
        return created;
    }

    public void ack(String entryId) {
        redis.ack(stream, group, List.of(entryId));
    }

    /** One {@code XACK} for all of {@code entryIds}. */
    public void ack(List<String> entryIds) {
        redis.ack(stream, group, entryIds);
    }

    /**
     * Claims up to {@code max} entries idle longer than {@code minIdle} (their consumer died),
     * skipping those in {@code skip} (this consumer's own work in flight), acknowledges pending ids
     * whose entries were deleted, and returns the claimed entries with their delivery counts, in
     * stream order.
     */
    public List<Delivery> reclaim(Duration minIdle, int max, Collection<String> skip) {
        Set<String> inFlight = Set.copyOf(skip);
        List<StreamEntry> claimed = new ArrayList<>();
        String cursor = "0-0";
        for (int round = 0; round < MAX_CLAIM_ROUNDS && claimed.size() < max; round++) {
            StreamInfo.AutoClaim reply = redis.autoClaim(stream, group, consumer, minIdle, cursor,
                    max - claimed.size());
            redis.ack(stream, group, reply.deletedIds());
            reply.claimed().stream().filter(e -> !inFlight.contains(e.id())).forEach(claimed::add);
            cursor = reply.nextStart();
            if ("0-0".equals(cursor)) {
                break;
            }
        }
        return withDeliveryCounts(claimed);
    }

    /**
     * Takes for this consumer up to {@code max} entries never delivered to the group that were added
     * at least {@code minAge} ago (by the Redis server's clock); younger ones stay undelivered.
     * Their delivery count is 1.
     */
    public List<Delivery> readUndeliveredOlderThan(Duration minAge, int max) {
        Response reply = redis.send(Request.cmd(Command.EVAL).arg(READ_UNDELIVERED_OLDER_THAN).arg(1).arg(stream)
                .arg(group).arg(consumer).arg(minAge.toMillis()).arg(max));
        return StreamReader.parse(reply).stream().map(e -> new Delivery(e, 1)).toList();
    }

    /**
     * Leaves the group when this consumer holds nothing (checked and done atomically), so that a
     * consumer that only passes by (a sweeper) does not linger in {@code XINFO CONSUMERS}. True when it left.
     */
    public boolean leaveIfEmpty() {
        return removeIfStillDeparted(consumer, Duration.ZERO);
    }

    /** Delivery counts of entries this consumer holds, from the extended XPENDING; in stream order. */
    public List<Delivery> withDeliveryCounts(List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        List<StreamEntry> sorted = entries.stream().sorted(Comparator.comparing(StreamEntry::id, StreamIds::compare))
                .toList();
        Map<String, Long> deliveries = new HashMap<>();
        for (StreamInfo.Pending p : redis.pending(stream, group, sorted.getFirst().id(), sorted.getLast().id(),
                entries.size() + 64, consumer)) {
            deliveries.put(p.id(), p.deliveries());
        }
        List<Delivery> result = new ArrayList<>(sorted.size());
        for (StreamEntry entry : sorted) {
            // Not pending any more means someone acknowledged it meanwhile; it was delivered at least twice.
            result.add(new Delivery(entry, deliveries.getOrDefault(entry.id(), 2L)));
        }
        return result;
    }

    /** Resets the idle time of entries this consumer is still working on, so that no one reclaims them. */
    public void keepAlive(Collection<String> inFlight) {
        redis.touch(stream, group, consumer, List.copyOf(inFlight));
    }

    /**
     * Removes other consumers idle at least {@code idle} that hold nothing (scaled-down pods).
     * Returns how many went.
     */
    public int removeDepartedConsumers(Duration idle) {
        int removed = 0;
        for (StreamInfo.Consumer other : redis.consumers(stream, group)) {
            boolean departed = !other.name().equals(consumer) && other.pending() == 0
                    && other.idleMs() >= idle.toMillis();
            if (departed && removeIfStillDeparted(other.name(), idle)) {
                removed++;
            }
        }
        return removed;
    }

    private boolean removeIfStillDeparted(String other, Duration idle) {
        return redis.send(Request.cmd(Command.EVAL).arg(REMOVE_IF_IDLE_AND_EMPTY).arg(1).arg(stream).arg(group)
                .arg(other).arg(idle.toMillis())).toLong() >= 0;
    }

    /** Trims the stream below its oldest unacknowledged entry. */
    public long trim() {
        return redis.trimAcknowledged(stream);
    }
}
