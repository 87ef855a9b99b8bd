package dev.speechfleet.core.worker;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * What a provider worker publishes about itself for the router: its health report, with what its
 * configured model serves, and that same capability list under a key that outlives the consumers.
 */
final class HealthReporter {

    /** How long {@code provider:capabilities:{p}} is kept after the last consumer refreshed it. */
    static final Duration CAPABILITIES_TTL = Duration.ofDays(30);

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
        long ttl = Math.max(settings.loop().maintenanceInterval().toMillis() * 6, 30_000);
        redis.send(Request.cmd(Command.EVAL).arg(PUBLISH_HEALTH).arg(1).arg(StreamKeys.providerHealth(provider))
                .arg(settings.consumerName()).arg(health.toJson()).arg(ttl).arg(health.updatedAtMillis() - ttl));
    }

    /**
     * Writes what the provider serves to {@code provider:capabilities:{p}}, so that the router knows it
     * even while no consumer runs (scale from zero).
     */
    void publishCapabilities(ProviderCapabilities capabilities) {
        redis.send(Request.cmd(Command.SET).arg(StreamKeys.providerCapabilities(provider)).arg(capabilities.toJson())
                .arg("PX").arg(CAPABILITIES_TTL.toMillis()));
    }

    /** Withdraws this consumer's report when it stops, so routing sees it gone at once. */
    void withdrawHealth() {
        redis.send(Request.cmd(Command.HDEL).arg(StreamKeys.providerHealth(provider)).arg(settings.consumerName()));
    }
}
