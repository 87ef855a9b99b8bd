package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.consumer.LoopSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one worker behaves. Built from {@code fleet.worker.*} configuration in services, or directly
 * in tests and tools.
 *
 * @param consumerName        this worker's name in the group (unique per live process)
 * @param concurrency         chunks processed at once; the worker never reads more than it has free slots for
 * @param batchSize           most entries fetched by one read
 * @param pollTimeout         how long one blocking read waits for new entries
 * @param maxRetries          retries of a retryable failure before the chunk is re-routed
 * @param backoffBase         first retry delay (before jitter); doubles per retry
 * @param backoffMax          longest retry delay
 * @param retryAfterLimit     a provider's Retry-After above this re-routes at once instead of waiting
 * @param claimIdle           a pending entry idle this long belonged to a dead worker and is reclaimed
 * @param maxDeliveries       an entry delivered more often than this is treated as failed (re-routed)
 * @param maintenanceInterval how often reclaiming, consumer clean-up and trimming run
 * @param consumerRemoveIdle  a consumer idle this long that holds nothing is removed from the group
 * @param shutdownGrace       how long stopping waits for chunks in flight before leaving them pending
 * @param defaultChain        providers tried in this order when an entry carries no fallback list
 * @param maxAttempts         a chunk is dead-lettered after this many attempts whatever its chain says
 * @param failuresMaxLen      approximate cap of {@code transcription:failures}
 * @param deadMaxLen          approximate cap of {@code transcription:dead}
 */
public record WorkerSettings(
        String consumerName,
        int concurrency,
        int batchSize,
        Duration pollTimeout,
        int maxRetries,
        Duration backoffBase,
        Duration backoffMax,
        Duration retryAfterLimit,
        Duration claimIdle,
        int maxDeliveries,
        Duration maintenanceInterval,
        Duration consumerRemoveIdle,
        Duration shutdownGrace,
        List<String> defaultChain,
        int maxAttempts,
        long failuresMaxLen,
        long deadMaxLen) {

    public WorkerSettings {
        Objects.requireNonNull(consumerName, "consumerName");
        defaultChain = List.copyOf(defaultChain);
        require(!consumerName.isBlank(), "consumer name must not be blank");
        require(concurrency >= 1, "concurrency must be at least 1");
        require(maxRetries >= 0, "max retries must not be negative");
        require(maxDeliveries >= 1, "max deliveries must be at least 1");
        require(maxAttempts >= 1, "max attempts must be at least 1");
        // The loop's own rules: batch size, poll timeout, claim idle against the maintenance interval.
        new LoopSettings(concurrency, batchSize, pollTimeout, claimIdle, maintenanceInterval, consumerRemoveIdle,
                shutdownGrace);
    }

    /** How the worker's consumer loop reads: {@code concurrency} handler threads. */
    public LoopSettings loop() {
        return new LoopSettings(concurrency, batchSize, pollTimeout, claimIdle, maintenanceInterval,
                consumerRemoveIdle, shutdownGrace);
    }

    /** Settings from {@code fleet.worker.*}, {@code fleet.routing.*} and {@code fleet.streams.*}. */
    public static WorkerSettings fromConfig(FleetConfig config, String consumerName, int concurrency) {
        FleetConfig.Worker w = config.worker();
        return builder(consumerName, config.routing().defaultChain()).concurrency(concurrency)
                .batchSize(w.batchSize()).pollTimeout(w.pollTimeout())
                .retries(w.maxRetries(), w.backoffBase(), w.backoffMax(), w.retryAfterLimit())
                .claimIdle(w.claimIdle()).maxDeliveries(w.maxDeliveries())
                .maintenanceInterval(w.maintenanceInterval()).consumerRemoveIdle(w.consumerRemoveIdle())
                .shutdownGrace(w.shutdownGrace()).maxAttempts(w.maxAttempts())
                .caps(config.streams().failuresMaxLen(), config.streams().deadMaxLen()).build();
    }

    /** Defaults suitable for production; tests shorten the timings. */
    public static WorkerSettings defaults(String consumerName, List<String> defaultChain) {
        return builder(consumerName, defaultChain).build();
    }

    /**
     * Settings named one by one, starting from the production defaults: a worker of
     * {@code consumerName} whose chunks without a fallback list follow {@code defaultChain}.
     */
    public static Builder builder(String consumerName, List<String> defaultChain) {
        return new Builder(consumerName, defaultChain);
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return builder(consumerName, defaultChain).concurrency(concurrency).batchSize(batchSize)
                .pollTimeout(pollTimeout).retries(maxRetries, backoffBase, backoffMax, retryAfterLimit)
                .claimIdle(claimIdle).maxDeliveries(maxDeliveries).maintenanceInterval(maintenanceInterval)
                .consumerRemoveIdle(consumerRemoveIdle).shutdownGrace(shutdownGrace).maxAttempts(maxAttempts)
                .caps(failuresMaxLen, deadMaxLen);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds {@link WorkerSettings} by name; every setting not given keeps its production default. */
    public static final class Builder {

        private String consumerName;
        private final List<String> defaultChain;
        private int concurrency = Runtime.getRuntime().availableProcessors();
        private int batchSize = 16;
        private Duration pollTimeout = Duration.ofSeconds(2);
        private int maxRetries = 3;
        private Duration backoffBase = Duration.ofMillis(500);
        private Duration backoffMax = Duration.ofSeconds(10);
        private Duration retryAfterLimit = Duration.ofSeconds(30);
        private Duration claimIdle = Duration.ofSeconds(60);
        private int maxDeliveries = 3;
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Duration consumerRemoveIdle = Duration.ofMinutes(10);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private int maxAttempts = 8;
        private long failuresMaxLen = 100_000;
        private long deadMaxLen = 100_000;

        private Builder(String consumerName, List<String> defaultChain) {
            this.consumerName = consumerName;
            this.defaultChain = List.copyOf(defaultChain);
        }

        public Builder consumerName(String name) {
            this.consumerName = name;
            return this;
        }

        public Builder concurrency(int chunksAtOnce) {
            this.concurrency = chunksAtOnce;
            return this;
        }

        public Builder batchSize(int entriesPerRead) {
            this.batchSize = entriesPerRead;
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
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

        public Builder claimIdle(Duration idle) {
            this.claimIdle = idle;
            return this;
        }

        public Builder maxDeliveries(int deliveries) {
            this.maxDeliveries = deliveries;
            return this;
        }

        public Builder maintenanceInterval(Duration interval) {
            this.maintenanceInterval = interval;
            return this;
        }

        public Builder consumerRemoveIdle(Duration idle) {
            this.consumerRemoveIdle = idle;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = grace;
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
            return new WorkerSettings(consumerName, concurrency, batchSize, pollTimeout, maxRetries, backoffBase,
                    backoffMax, retryAfterLimit, claimIdle, maxDeliveries, maintenanceInterval, consumerRemoveIdle,
                    shutdownGrace, defaultChain, maxAttempts, failuresMaxLen, deadMaxLen);
        }
    }
}
