package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/** What a provider worker publishes about itself for the router: its health report. */
final class HealthReporter {

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

    private final RedisStreams redis;
    private final WorkerSettings settings;
    private final String provider;

    HealthReporter(RedisStreams redis, String provider, WorkerSettings settings) {
        this.redis = redis;
        this.provider = provider;
        this.settings = settings;
    }

    /** Publishes this consumer's view of its provider; reports go stale after a few intervals. */
    void publishHealth(ProviderHealth health) {
        long ttl = Math.max(settings.maintenanceInterval().toMillis() * 6, 30_000);
        redis.send(Request.cmd(Command.EVAL).arg(PUBLISH_HEALTH).arg(1).arg(StreamKeys.providerHealth(provider))
                .arg(settings.consumerName()).arg(health.toJson()).arg(ttl).arg(health.updatedAtMillis() - ttl));
    }

    /** Withdraws this consumer's report when it stops, so routing sees it gone at once. */
    void withdrawHealth() {
        redis.send(Request.cmd(Command.HDEL).arg(StreamKeys.providerHealth(provider)).arg(settings.consumerName()));
    }
}
