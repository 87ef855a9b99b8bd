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
 * @param virtualThreads      handlers run on virtual threads, one per entry in hand (still at most
 *                            {@code handlerThreads} at once): for handlers that mostly wait (HTTP, Redis)
 */
public record LoopSettings(int handlerThreads, int batchSize, Duration pollTimeout, Duration claimIdle,
        Duration maintenanceInterval, Duration consumerRemoveIdle, Duration shutdownGrace, boolean virtualThreads) {

    public LoopSettings {
        require(handlerThreads >= 0, "handler threads must not be negative");
        require(batchSize >= 1, "batch size must be at least 1");
        require(pollTimeout.toMillis() >= 1, "poll timeout must be at least 1 ms");
        require(claimIdle.compareTo(maintenanceInterval.multipliedBy(2)) > 0,
                "claim idle (" + claimIdle + ") must be more than twice the maintenance interval ("
                        + maintenanceInterval + "), or live consumers' entries would be claimed");
        require(!virtualThreads || handlerThreads > 0, "virtual handler threads need a handler count above 0");
    }

    /** Settings whose handlers run on platform threads. */
    public LoopSettings(int handlerThreads, int batchSize, Duration pollTimeout, Duration claimIdle,
            Duration maintenanceInterval, Duration consumerRemoveIdle, Duration shutdownGrace) {
        this(handlerThreads, batchSize, pollTimeout, claimIdle, maintenanceInterval, consumerRemoveIdle, shutdownGrace,
                false);
    }

    /**
     * Settings named one by one. Unset: handled on the poller, batches of 16, reads waiting 2 s, claims
     * after 60 s idle, maintenance every 5 s, departed consumers removed after 10 min, 30 s to stop.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The same settings with {@code threads} handler threads. */
    public LoopSettings withHandlerThreads(int threads) {
        return new LoopSettings(threads, batchSize, pollTimeout, claimIdle, maintenanceInterval, consumerRemoveIdle,
                shutdownGrace, virtualThreads);
    }

    /** The same settings with handlers on virtual threads ({@code true}) or platform threads. */
    public LoopSettings withVirtualThreads(boolean virtual) {
        return new LoopSettings(handlerThreads, batchSize, pollTimeout, claimIdle, maintenanceInterval,
                consumerRemoveIdle, shutdownGrace, virtual);
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

    /** Builds {@link LoopSettings} by name. */
    public static final class Builder {

        private int handlerThreads;
        private int batchSize = 16;
        private Duration pollTimeout = Duration.ofSeconds(2);
        private Duration claimIdle = Duration.ofSeconds(60);
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Duration consumerRemoveIdle = Duration.ofMinutes(10);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private boolean virtualThreads;

        private Builder() {
        }

        /** Entries handled at once on threads of their own; 0 to handle each batch on the poller. */
        public Builder handlerThreads(int threads) {
            this.handlerThreads = threads;
            return this;
        }

        /** Handlers on virtual threads, one per entry in hand, at most {@code handlerThreads} at once. */
        public Builder virtualThreads(boolean virtual) {
            this.virtualThreads = virtual;
            return this;
        }

        /** Most entries per read, and how long a read waits for them. */
        public Builder reads(int batchSize, Duration pollTimeout) {
            this.batchSize = batchSize;
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** When a pending entry counts as abandoned, and how often claims and the other chores run. */
        public Builder claims(Duration claimIdle, Duration maintenanceInterval) {
            this.claimIdle = claimIdle;
            this.maintenanceInterval = maintenanceInterval;
            return this;
        }

        /** When an idle consumer holding nothing is removed, and how long stopping waits for entries in hand. */
        public Builder departures(Duration consumerRemoveIdle, Duration shutdownGrace) {
            this.consumerRemoveIdle = consumerRemoveIdle;
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        public LoopSettings build() {
            return new LoopSettings(handlerThreads, batchSize, pollTimeout, claimIdle, maintenanceInterval,
                    consumerRemoveIdle, shutdownGrace, virtualThreads);
        }
    }
}
