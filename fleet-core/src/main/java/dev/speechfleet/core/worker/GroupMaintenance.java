package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The periodic chores of a worker on its group: reclaiming what dead workers left pending, keeping
 * its own in-flight entries from being reclaimed, removing departed consumers, trimming the stream.
 */
final class GroupMaintenance {

    /** Removes a consumer only if it still holds nothing and is still idle: atomic on one key. */
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

    /** Writes this consumer's report, refreshes the hash's TTL and drops reports of consumers long gone. */
    private static final String PUBLISH_HEALTH = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            local oldest = tonumber(ARGV[4])
            local all = redis.call('HGETALL', KEYS[1])
            for i = 1, #all, 2 do
              local at = tonumber(string.match(all[i + 1], '"at":(%d+)'))
              if at == nil or at < oldest then redis.call('HDEL', KEYS[1], all[i]) end
            end
            return 1""";

    private static final int MAX_CLAIM_ROUNDS = 10;

    /** An entry with how many times it has been delivered. */
    record Delivery(StreamEntry entry, long deliveries) {
    }

    private final WorkerStreams streams;
    private final RedisStreams redis;
    private final WorkerSettings settings;
    private final String provider;

    GroupMaintenance(WorkerStreams streams, String provider, WorkerSettings settings) {
        this.streams = streams;
        this.provider = provider;
        this.redis = streams.redis();
        this.settings = settings;
    }

    /**
     * Claims up to {@code capacity} entries idle past the claim time (their worker died), skipping
     * those this worker is processing itself, and returns them with their delivery counts.
     */
    List<Delivery> reclaim(int capacity, Collection<String> inFlight) {
        List<StreamEntry> claimed = new ArrayList<>();
        String cursor = "0-0";
        for (int round = 0; round < MAX_CLAIM_ROUNDS && claimed.size() < capacity; round++) {
            StreamInfo.AutoClaim reply = redis.autoClaim(streams.stream(), streams.group(), settings.consumerName(),
                    settings.claimIdle(), cursor, capacity - claimed.size());
            redis.ack(streams.stream(), streams.group(), reply.deletedIds());
            reply.claimed().stream().filter(e -> !inFlight.contains(e.id())).forEach(claimed::add);
            cursor = reply.nextStart();
            if ("0-0".equals(cursor)) {
                break;
            }
        }
        return withDeliveryCounts(claimed);
    }

    /** Delivery counts of entries this consumer now holds, from the extended XPENDING. */
    List<Delivery> withDeliveryCounts(List<StreamEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<String, Long> deliveries = new HashMap<>();
        String first = entries.getFirst().id();
        String last = entries.getLast().id();
        for (StreamInfo.Pending p : redis.pending(streams.stream(), streams.group(), first, last,
                entries.size() + settings.concurrency() + 16, settings.consumerName())) {
            deliveries.put(p.id(), p.deliveries());
        }
        List<Delivery> result = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            // Not pending any more means someone acknowledged it meanwhile; it was delivered at least twice.
            result.add(new Delivery(entry, deliveries.getOrDefault(entry.id(), 2L)));
        }
        return result;
    }

    /** Resets the idle time of entries still being processed, so live work is never reclaimed. */
    void keepAlive(Collection<String> inFlight) {
        redis.touch(streams.stream(), streams.group(), settings.consumerName(), List.copyOf(inFlight));
    }

    /** Removes consumers that are idle past the limit and hold nothing; returns how many went. */
    int removeDepartedConsumers() {
        int removed = 0;
        for (StreamInfo.Consumer consumer : redis.consumers(streams.stream(), streams.group())) {
            boolean departed = !consumer.name().equals(settings.consumerName()) && consumer.pending() == 0
                    && consumer.idleMs() >= settings.consumerRemoveIdle().toMillis();
            if (departed && removeIfStillDeparted(consumer.name())) {
                removed++;
            }
        }
        return removed;
    }

    private boolean removeIfStillDeparted(String consumer) {
        long result = redis.send(Request.cmd(Command.EVAL).arg(REMOVE_IF_IDLE_AND_EMPTY).arg(1)
                .arg(streams.stream()).arg(streams.group()).arg(consumer)
                .arg(settings.consumerRemoveIdle().toMillis())).toLong();
        return result >= 0;
    }

    /** Publishes this consumer's view of its provider for the router; reports go stale after a few intervals. */
    void publishHealth(ProviderHealth health) {
        long ttl = Math.max(settings.maintenanceInterval().toMillis() * 6, 30_000);
        redis.send(Request.cmd(Command.EVAL).arg(PUBLISH_HEALTH).arg(1).arg(StreamKeys.providerHealth(provider))
                .arg(settings.consumerName()).arg(health.toJson()).arg(ttl).arg(health.updatedAtMillis() - ttl));
    }

    /** Withdraws this consumer's report when it stops, so routing sees it gone at once. */
    void withdrawHealth() {
        redis.send(Request.cmd(Command.HDEL).arg(StreamKeys.providerHealth(provider)).arg(settings.consumerName()));
    }

    /** Trims the stream below its oldest unacknowledged entry. */
    long trim() {
        return redis.trimAcknowledged(streams.stream());
    }
}
