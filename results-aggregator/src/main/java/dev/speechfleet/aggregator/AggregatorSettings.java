package dev.speechfleet.aggregator;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.worker.ConsumerNames;
import java.time.Duration;

/**
 * Everything one aggregator instance runs with, resolved from {@link AggregatorConfig} and the
 * fleet's stream caps; a plain value so that tests and a bare JVM can build an instance without CDI.
 */
public record AggregatorSettings(
        String consumerName,
        int batchSize,
        Duration pollTimeout,
        Duration claimIdle,
        int maxDeliveries,
        Duration maintenanceInterval,
        Duration deadlineSweepInterval,
        Duration consensusTimeout,
        Duration consensusHardCap,
        Duration deadlineLease,
        Duration emittedTtl,
        Duration sessionResultsTtl,
        Duration chunkStateTtl,
        Duration consumerRemoveIdle,
        Duration shutdownGrace,
        double roverAlpha,
        double roverNullConfidence,
        long resultsAllMaxLen,
        long deadMaxLen) {

    public AggregatorSettings {
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("aggregator.max-deliveries must be at least 1: " + maxDeliveries);
        }
        if (consensusHardCap.compareTo(consensusTimeout) < 0) {
            throw new IllegalArgumentException("aggregator.consensus-hard-cap must be at least consensus-timeout");
        }
        if (chunkStateTtl.compareTo(consensusHardCap.plus(deadlineLease)) <= 0) {
            throw new IllegalArgumentException(
                    "aggregator.chunk-state-ttl must exceed consensus-hard-cap + deadline-lease");
        }
        // The loop's own rules: batch size, poll timeout, claim idle against the maintenance interval.
        new LoopSettings(0, batchSize, pollTimeout, claimIdle, maintenanceInterval, consumerRemoveIdle, shutdownGrace);
    }

    public static AggregatorSettings from(AggregatorConfig config, FleetConfig fleet) {
        return builder(config.consumerName().orElseGet(ConsumerNames::defaultName))
                .reading(config.batchSize(), config.pollTimeout())
                .claims(config.claimIdle(), config.maxDeliveries(), config.maintenanceInterval())
                .consensus(config.consensusTimeout(), config.consensusHardCap(), config.deadlineSweepInterval(),
                        config.deadlineLease())
                .retention(config.emittedTtl(), config.sessionResultsTtl(), config.chunkStateTtl())
                .consumerRemoveIdle(config.consumerRemoveIdle()).shutdownGrace(config.shutdownGrace())
                .rover(config.rover().alpha(), config.rover().nullConfidence())
                .caps(fleet.streams().resultsAllMaxLen(), fleet.streams().deadMaxLen()).build();
    }

    /** How the instance's consumer loop reads: each batch handled on the poller, in stream order. */
    public LoopSettings loop() {
        return new LoopSettings(0, batchSize, pollTimeout, claimIdle, maintenanceInterval, consumerRemoveIdle,
                shutdownGrace);
    }

    /** Settings named one by one, starting from the defaults of {@link AggregatorConfig}. */
    public static Builder builder(String consumerName) {
        return new Builder(consumerName);
    }

    /** Builds {@link AggregatorSettings} by name; what is not given keeps the default of {@code aggregator.*}. */
    public static final class Builder {

        private final String consumerName;
        private int batchSize = 32;
        private Duration pollTimeout = Duration.ofSeconds(1);
        private Duration claimIdle = Duration.ofSeconds(30);
        private int maxDeliveries = 5;
        private Duration maintenanceInterval = Duration.ofSeconds(5);
        private Duration deadlineSweepInterval = Duration.ofMillis(200);
        private Duration consensusTimeout = Duration.ofSeconds(5);
        private Duration consensusHardCap = Duration.ofSeconds(15);
        private Duration deadlineLease = Duration.ofSeconds(30);
        private Duration emittedTtl = Duration.ofHours(6);
        private Duration sessionResultsTtl = Duration.ofHours(1);
        private Duration chunkStateTtl = Duration.ofHours(1);
        private Duration consumerRemoveIdle = Duration.ofMinutes(10);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private double roverAlpha = 0.7;
        private double roverNullConfidence = 0.6;
        private long resultsAllMaxLen = 100_000;
        private long deadMaxLen = 100_000;

        private Builder(String consumerName) {
            this.consumerName = consumerName;
        }

        /** Most entries per read, and how long one blocking read waits. */
        public Builder reading(int batchSize, Duration pollTimeout) {
            this.batchSize = batchSize;
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** When a pending entry is claimed, how often it may be delivered, and how often claims run. */
        public Builder claims(Duration claimIdle, int maxDeliveries, Duration maintenanceInterval) {
            this.claimIdle = claimIdle;
            this.maxDeliveries = maxDeliveries;
            this.maintenanceInterval = maintenanceInterval;
            return this;
        }

        /** A consensus chunk's deadline and hard cap, how often due ones are looked for, and their lease. */
        public Builder consensus(Duration timeout, Duration hardCap, Duration sweepInterval, Duration lease) {
            this.consensusTimeout = timeout;
            this.consensusHardCap = hardCap;
            this.deadlineSweepInterval = sweepInterval;
            this.deadlineLease = lease;
            return this;
        }

        /** How long emitted markers, session result streams and consensus state live. */
        public Builder retention(Duration emitted, Duration sessionResults, Duration chunkState) {
            this.emittedTtl = emitted;
            this.sessionResultsTtl = sessionResults;
            this.chunkStateTtl = chunkState;
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

        public Builder rover(double alpha, double nullConfidence) {
            this.roverAlpha = alpha;
            this.roverNullConfidence = nullConfidence;
            return this;
        }

        /** Approximate caps of {@code transcription:results:all} and {@code transcription:dead}. */
        public Builder caps(long resultsAllMaxLen, long deadMaxLen) {
            this.resultsAllMaxLen = resultsAllMaxLen;
            this.deadMaxLen = deadMaxLen;
            return this;
        }

        public AggregatorSettings build() {
            return new AggregatorSettings(consumerName, batchSize, pollTimeout, claimIdle, maxDeliveries,
                    maintenanceInterval, deadlineSweepInterval, consensusTimeout, consensusHardCap, deadlineLease,
                    emittedTtl, sessionResultsTtl, chunkStateTtl, consumerRemoveIdle, shutdownGrace, roverAlpha,
                    roverNullConfidence, resultsAllMaxLen, deadMaxLen);
        }
    }
}
