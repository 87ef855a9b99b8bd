package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.consumer.LoopSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one worker behaves. Built from {@code fleet.worker.*} configuration in services, or by name
 * ({@link #builder}) in tests and tools.
 *
 * @param consumerName    this worker's name in the group (unique per live process)
 * @param loop            how its consumer loop reads: {@code handlerThreads} chunks processed at once (its
 *                        concurrency), never more entries read than it has free slots for
 * @param maxRetries      retries of a retryable failure before the chunk is re-routed
 * @param backoffBase     first retry delay (before jitter); doubles per retry
 * @param backoffMax      longest retry delay
 * @param retryAfterLimit a provider's Retry-After above this re-routes at once instead of waiting
 * @param maxDeliveries   an entry delivered more often than this is treated as failed (re-routed)
 * @param defaultChain    providers tried in this order when an entry carries no fallback list
 * @param maxAttempts     a chunk is dead-lettered after this many attempts whatever its chain says
 * @param failuresMaxLen  approximate cap of {@code transcription:failures}
 * @param deadMaxLen      approximate cap of {@code transcription:dead}
 */
public record WorkerSettings(
        String consumerName,
        LoopSettings loop,
        int maxRetries,
        Duration backoffBase,
        Duration backoffMax,
        Duration retryAfterLimit,
        int maxDeliveries,
        List<String> defaultChain,
        int maxAttempts,
        long failuresMaxLen,
        long deadMaxLen) {

    public WorkerSettings {
        Objects.requireNonNull(consumerName, "consumerName");
        Objects.requireNonNull(loop, "loop");
        defaultChain = List.copyOf(defaultChain);
        require(!consumerName.isBlank(), "consumer name must not be blank");
        require(loop.handlerThreads() >= 1, "concurrency must be at least 1");
        require(maxRetries >= 0, "max retries must not be negative");
        require(maxDeliveries >= 1, "max deliveries must be at least 1");
        require(maxAttempts >= 1, "max attempts must be at least 1");
    }

    /** Chunks processed at once. */
    public int concurrency() {
        return loop.handlerThreads();
    }

    /** Settings from {@code fleet.worker.*}, {@code fleet.routing.*} and {@code fleet.streams.*}. */
    public static WorkerSettings fromConfig(FleetConfig config, String consumerName, int concurrency) {
        return fromConfig(config, consumerName, concurrency, false);
    }

    /**
     * Settings from configuration, with {@code concurrency} chunks at once, each on a virtual thread when
     * {@code virtualThreads} (a provider whose calls wait on the network).
     */
    public static WorkerSettings fromConfig(FleetConfig config, String consumerName, int concurrency,
            boolean virtualThreads) {
        FleetConfig.Worker w = config.worker();
        LoopSettings loop = LoopSettings.builder().handlerThreads(concurrency).virtualThreads(virtualThreads)
                .reads(w.batchSize(), w.pollTimeout())
                .claims(w.claimIdle(), w.maintenanceInterval()).departures(w.consumerRemoveIdle(), w.shutdownGrace())
                .build();
        return builder(consumerName, config.routing().defaultChain()).loop(loop)
                .retries(w.maxRetries(), w.backoffBase(), w.backoffMax(), w.retryAfterLimit())
                .maxDeliveries(w.maxDeliveries()).maxAttempts(w.maxAttempts())
                .caps(config.streams().failuresMaxLen(), config.streams().deadMaxLen()).build();
    }

    /**
     * Settings named one by one, starting from the production defaults (as many chunks at once as the
     * machine has cores): a worker of {@code consumerName} whose chunks without a fallback list follow
     * {@code defaultChain}.
     */
    public static Builder builder(String consumerName, List<String> defaultChain) {
        return new Builder(consumerName, defaultChain);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds {@link WorkerSettings} by name; every setting not given keeps its production default. */
    public static final class Builder {

        private final String consumerName;
        private final List<String> defaultChain;
        private LoopSettings loop = LoopSettings.builder()
                .handlerThreads(Runtime.getRuntime().availableProcessors()).build();
        private int maxRetries = 3;
        private Duration backoffBase = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(10);
        private Duration retryAfterLimit = Duration.ofSeconds(30);
        private int maxDeliveries = 3;
        private int maxAttempts = 8;
        private long failuresMaxLen = 100_000;
        private long deadMaxLen = 100_000;

        private Builder(String consumerName, List<String> defaultChain) {
            this.consumerName = consumerName;
            this.defaultChain = List.copyOf(defaultChain);
        }

        /** How the worker reads; its handler threads are its concurrency. */
        public Builder loop(LoopSettings settings) {
            this.loop = settings;
            return this;
        }

        /** The production loop, with {@code chunksAtOnce} handler threads. */
        public Builder concurrency(int chunksAtOnce) {
            this.loop = loop.withHandlerThreads(chunksAtOnce);
            return this;
        }

        /** Retries of a retryable failure: how many, their backoff, and the longest Retry-After honoured. */
        public Builder retries(int max, Duration base, Duration longest, Duration retryAfterLimit) {
            this.maxRetries = max;
            this.backoffBase = base;
            this.backoffMax = longest;
            this.retryAfterLimit = retryAfterLimit;
            return this;
        }

        public Builder maxDeliveries(int deliveries) {
            this.maxDeliveries = deliveries;
            return this;
        }

        public Builder maxAttempts(int attempts) {
            this.maxAttempts = attempts;
            return this;
        }

        /** Approximate caps of {@code transcription:failures} and {@code transcription:dead}. */
        public Builder caps(long failuresMaxLen, long deadMaxLen) {
            this.failuresMaxLen = failuresMaxLen;
            this.deadMaxLen = deadMaxLen;
            return this;
        }

        public WorkerSettings build() {
            return new WorkerSettings(consumerName, loop, maxRetries, backoffBase, backoffMax, retryAfterLimit,
                    maxDeliveries, defaultChain, maxAttempts, failuresMaxLen, deadMaxLen);
        }
    }
}
