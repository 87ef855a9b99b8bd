package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
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
        require(batchSize >= 1, "batch size must be at least 1");
        require(maxRetries >= 0, "max retries must not be negative");
        require(maxDeliveries >= 1, "max deliveries must be at least 1");
        require(maxAttempts >= 1, "max attempts must be at least 1");
        require(pollTimeout.toMillis() >= 1, "poll timeout must be at least 1 ms");
        require(claimIdle.compareTo(maintenanceInterval.multipliedBy(2)) > 0,
                "claim idle (" + claimIdle + ") must be more than twice the maintenance interval ("
                        + maintenanceInterval + "), or live workers' entries would be reclaimed");
    }

    /** Settings from {@code fleet.worker.*}, {@code fleet.routing.*} and {@code fleet.streams.*}. */
    public static WorkerSettings fromConfig(FleetConfig config, String consumerName, int concurrency) {
        FleetConfig.Worker w = config.worker();
        return new WorkerSettings(consumerName, concurrency, w.batchSize(), w.pollTimeout(), w.maxRetries(),
                w.backoffBase(), w.backoffMax(), w.retryAfterLimit(), w.claimIdle(), w.maxDeliveries(),
                w.maintenanceInterval(), w.consumerRemoveIdle(), w.shutdownGrace(), config.routing().defaultChain(),
                w.maxAttempts(), config.streams().failuresMaxLen(), config.streams().deadMaxLen());
    }

    /** Defaults suitable for production; tests shorten the timings. */
    public static WorkerSettings defaults(String consumerName, List<String> defaultChain) {
        return new WorkerSettings(consumerName, Runtime.getRuntime().availableProcessors(), 16,
                Duration.ofSeconds(2), 3, Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 3, Duration.ofSeconds(5), Duration.ofMinutes(10), Duration.ofSeconds(30),
                defaultChain, 8, 100_000, 100_000);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
