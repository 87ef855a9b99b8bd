package dev.speechfleet.core.consumer;

import java.time.Duration;

/**
 * How a {@link ConsumerLoop} reads its group.
 *
 * @param handlerThreads      entries handled at once, each on a thread of its own; 0 handles each read
 *                            batch on the poller, in stream order, before reading again
 * @param batchSize           most entries fetched by one read (and, handled on the poller, held at once)
 * @param pollTimeout         how long one blocking read waits for new entries; also the pause after a
 *                            failed read
 * @param claimIdle           a pending entry idle this long belonged to a consumer that died: it is claimed
 * @param maintenanceInterval how often claims, keeping entries in flight fresh, consumer clean-up and
 *                            trimming run
 * @param consumerRemoveIdle  another consumer idle this long that holds nothing is removed from the group
 * @param shutdownGrace       how long stopping waits for entries in hand before leaving them pending
 */
public record LoopSettings(int handlerThreads, int batchSize, Duration pollTimeout, Duration claimIdle,
        Duration maintenanceInterval, Duration consumerRemoveIdle, Duration shutdownGrace) {

    public LoopSettings {
        require(handlerThreads >= 0, "handler threads must not be negative");
        require(batchSize >= 1, "batch size must be at least 1");
        require(pollTimeout.toMillis() >= 1, "poll timeout must be at least 1 ms");
        require(claimIdle.compareTo(maintenanceInterval.multipliedBy(2)) > 0,
                "claim idle (" + claimIdle + ") must be more than twice the maintenance interval ("
                        + maintenanceInterval + "), or live consumers' entries would be claimed");
    }

    /** Entries held at once: one per handler thread, or one read batch when the poller handles them. */
    int slots() {
        return handlerThreads > 0 ? handlerThreads : batchSize;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
