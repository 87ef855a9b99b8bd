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
