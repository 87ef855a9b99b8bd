package dev.speechfleet.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Configuration shared by every fleet service ({@code fleet.*}). The Redis address itself is {@code quarkus.redis.hosts}. */
@ConfigMapping(prefix = "fleet")
public interface FleetConfig {

    /** Redis access. */
    RedisAccess redis();

    /** The consumer-group worker of a provider consumer. */
    Worker worker();

    /** Routing defaults that several modules share. */
    Routing routing();

    /** Caps of the global streams. */
    Streams streams();

    /** Which providers count as served: live consumers and scale-from-zero declarations. */
    Providers providers();

    /** The stranded-entry sweeper (run by every router instance). */
    Sweeper sweeper();

    interface RedisAccess {
        /**
         * Start a real Redis 7 from {@code org.signal:embedded-redis} on a free loopback port when no
         * {@code REDIS_URL} is set (development runs and the one-command fleet; never production).
         */
        @WithDefault("false")
        boolean embedded();

        /** Longest wait for one Redis command before it counts as failed. */
        @WithDefault("5s")
        Duration commandTimeout();

        /**
         * The embedded Redis keeps its data in this directory with AOF ({@code appendonly yes}) and
         * reloads it on restart; unset, it runs without persistence. Only with {@code embedded=true}.
         */
        Optional<java.nio.file.Path> embeddedDataDir();

        /**
         * What start-up does when Redis may evict keys ({@code maxmemory-policy} other than
         * {@code noeviction}): {@code refuse} to start, or {@code warn} and start anyway.
         */
        @WithDefault("refuse")
        EvictionCheck evictionCheck();
    }

    /** What start-up does about a Redis whose eviction policy may drop the fleet's keys. */
    enum EvictionCheck {
        /** Refuse to start, naming the setting to change. */
        REFUSE,
        /** Log a warning and start. */
        WARN
    }

    interface Worker {
        /** Whether this process runs a worker for each provider bean it contains. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Providers this process serves, by name; unset means every provider bean the service has.
         * The one-process fleet sets it to the providers that are configured.
         */
        Optional<java.util.Set<String>> providers();

        /** Name of this consumer in its group; defaults to {@code $HOSTNAME-<pid>} (the pod name on Kubernetes). */
        Optional<String> consumerName();

        /** Chunks processed at once; defaults to what the provider suggests (cores for Whisper). */
        OptionalInt concurrency();

        /** Most entries fetched by one XREADGROUP. */
        @WithDefault("16")
        int batchSize();

        /** How long one blocking XREADGROUP waits for new entries. */
        @WithDefault("2s")
        Duration pollTimeout();

        /** Retries of a retryable provider failure before the chunk is re-routed. */
        @WithDefault("3")
        int maxRetries();

        /** First retry delay before jitter; doubles per retry. */
        @WithDefault("500ms")
        Duration backoffBase();

        /** Longest retry delay. */
        @WithDefault("10s")
        Duration backoffMax();

        /** A provider's Retry-After longer than this re-routes the chunk at once instead of waiting. */
        @WithDefault("30s")
        Duration retryAfterLimit();

        /** A pending entry idle this long is taken to belong to a dead worker and is reclaimed. */
        @WithDefault("60s")
        Duration claimIdle();

        /** An entry delivered more often than this is treated as failed and re-routed, never retried. */
        @WithDefault("3")
        int maxDeliveries();

        /** How often reclaiming, consumer clean-up and trimming run. */
        @WithDefault("5s")
        Duration maintenanceInterval();

        /** A consumer idle this long that holds no entries is removed from its group. */
        @WithDefault("10m")
        Duration consumerRemoveIdle();

        /** How long a stopping worker waits for chunks in flight before leaving them pending. */
        @WithDefault("30s")
        Duration shutdownGrace();

        /** A chunk is dead-lettered after this many attempts, whatever its fallback list says. */
        @WithDefault("8")
        int maxAttempts();
    }

    interface Routing {
        /** Providers tried in this order when an entry carries no fallback list. */
        @WithDefault("whisper,deepgram,assemblyai,parakeet")
        List<String> defaultChain();
    }

    interface Providers {
        /**
         * Providers that stay routable with no live consumer (their workers scale from zero on lag,
         * KEDA): routing and failover still send them chunks, and stranded entries wait on them for
         * {@code fleet.sweeper.scale-from-zero-deadline} instead of {@code fleet.sweeper.deadline}.
         */
        Optional<List<String>> scaleFromZero();

        /**
         * A consumer is live while it touched its group ({@code XINFO CONSUMERS} idle) or published a
         * health report within this time (workers report every {@code fleet.worker.maintenance-interval}).
         */
        @WithDefault("30s")
        Duration liveIdle();

        /**
         * Bound on each HTTP call of a cloud provider (Deepgram's listen; AssemblyAI's upload, submit,
         * every poll and lookup; Parakeet's transcription): a call over it fails as retryable and counts
         * towards the provider's outage breaker (ADR 0021). Keep the REST clients' read timeout above it.
         */
        @WithDefault("30s")
        Duration callTimeout();
    }

    interface Sweeper {
        /** Whether this process runs the stranded-entry sweeper (router instances do; it is safe in all at once). */
        @WithDefault("true")
        boolean enabled();

        /** How often provider streams without a live consumer are swept. */
        @WithDefault("2s")
        Duration interval();

        /** An entry that waited this long on a stream with no live consumer is moved on (or ended). */
        @WithDefault("10s")
        Duration deadline();

        /** The same for a scale-from-zero provider, long enough for its first worker to start. */
        @WithDefault("3m")
        Duration scaleFromZeroDeadline();

        /** Most entries taken from one stream per read. */
        @WithDefault("32")
        int batchSize();
    }

    interface Streams {
        /** Approximate cap (MAXLEN ~) of transcription:failures. */
        @WithDefault("100000")
        long failuresMaxLen();

        /** Approximate cap (MAXLEN ~) of transcription:dead. */
        @WithDefault("100000")
        long deadMaxLen();

        /** Approximate cap (MAXLEN ~) of transcription:results:all. */
        @WithDefault("100000")
        long resultsAllMaxLen();
    }
}
