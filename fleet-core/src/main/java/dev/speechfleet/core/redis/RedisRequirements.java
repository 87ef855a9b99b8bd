package dev.speechfleet.core.redis;

import dev.speechfleet.core.config.FleetConfig;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

/**
 * What the fleet requires of its Redis and checks at start-up (DESIGN.md section 3, ADR 0070): an
 * eviction policy that never drops keys ({@code maxmemory-policy noeviction}). Audio blobs, session
 * hashes and the aggregator's "emitted" markers carry TTLs, so a {@code volatile-*} policy evicts
 * them first under memory pressure and an {@code allkeys-*} policy may evict anything, streams
 * included: exactly-once delivery and resume would break without an error. A server that does not
 * let us read its configuration (managed Redis forbidding {@code CONFIG}) only gets a warning.
 */
public final class RedisRequirements {

    private static final Logger LOG = Logger.getLogger(RedisRequirements.class);
    static final String REQUIRED_POLICY = "noeviction";

    /** What the check found. */
    public enum Outcome {
        /** The policy is {@code noeviction}. */
        SAFE,
        /** The policy may evict keys, and the configuration says to warn and go on. */
        WARNED_EVICTING,
        /** The policy could not be read (CONFIG forbidden, Redis unreachable); a warning was logged. */
        WARNED_UNKNOWN
    }

    private RedisRequirements() {
    }

    /**
     * Reads {@code maxmemory-policy} and acts as {@code mode} says.
     *
     * @throws IllegalStateException when the policy may evict keys and {@code mode} is {@code REFUSE};
     *                               the message names the setting to change
     */
    public static Outcome verify(RedisStreams redis, FleetConfig.EvictionCheck mode) {
        String policy;
        try {
            policy = maxmemoryPolicy(redis);
        } catch (RedisCommandException e) {
            LOG.warnf("cannot read Redis' maxmemory-policy (%s); make sure it is %s, or the fleet may silently "
                    + "lose audio, sessions and exactly-once markers under memory pressure (docs/streams.md)",
                    e.getMessage(), REQUIRED_POLICY);
            return Outcome.WARNED_UNKNOWN;
        } catch (RedisUnavailableException e) {
            LOG.warnf("Redis did not answer the start-up check of maxmemory-policy (%s); it must be %s "
                    + "(docs/streams.md)", e.getMessage(), REQUIRED_POLICY);
            return Outcome.WARNED_UNKNOWN;
        }
        if (REQUIRED_POLICY.equals(policy)) {
            return Outcome.SAFE;
        }
        String problem = "Redis has maxmemory-policy " + policy + ": under memory pressure it evicts keys the "
                + "fleet relies on (audio blobs, session hashes and the aggregator's emitted markers carry TTLs"
                + (policy.startsWith("allkeys") ? "; streams too" : "") + "), which silently breaks exactly-once "
                + "delivery and resume. Set 'maxmemory-policy " + REQUIRED_POLICY + "' on the Redis server "
                + "(redis.conf, CONFIG SET maxmemory-policy " + REQUIRED_POLICY + ", or the managed service's "
                + "parameter), or set fleet.redis.eviction-check=warn to start anyway";
        if (mode == FleetConfig.EvictionCheck.REFUSE) {
            throw new IllegalStateException("refusing to start: " + problem);
        }
        LOG.warn("!!! " + problem + " !!!");
        return Outcome.WARNED_EVICTING;
    }

    /** {@code CONFIG GET maxmemory-policy}, in RESP2 (a flat array) or RESP3 (a map). */
    static String maxmemoryPolicy(RedisStreams redis) {
        Response reply = redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("maxmemory-policy"));
        if (reply != null && reply.isMap() && reply.containsKey("maxmemory-policy")) {
            return reply.get("maxmemory-policy").toString();
        }
        if (reply != null && reply.size() >= 2) {
            return reply.get(1).toString();
        }
        throw new RedisCommandException("CONFIG GET maxmemory-policy returned nothing (the command may be renamed)",
                null);
    }
}
