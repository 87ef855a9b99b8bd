package dev.speechfleet.aggregator;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.worker.ConsumerNames;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one aggregator instance runs with, resolved from {@link AggregatorConfig} and the
 * fleet's stream caps; a plain value so that tests and a bare JVM can build an instance without CDI.
 *
 * @param consumerName          this instance's name in group {@code aggregator}
 * @param loop                  how its consumer loop reads: hypotheses handled at once on virtual threads
 *                              (any order: every write is idempotent and keyed by chunk), or each batch
 *                              on the poller, in order
 * @param maxDeliveries         a hypothesis delivered more often than this is dead-lettered
 * @param deadlineSweepInterval how often due consensus chunks are looked for
 * @param consensusTimeout      a consensus chunk's deadline after its first hypothesis
 * @param consensusHardCap      how long a chunk holding only failures waits after its first hypothesis
 * @param deadlineLease         how long an instance finishing a due chunk holds it
 * @param emittedTtl            life of a chunk's "emitted" marker
 * @param sessionResultsTtl     a session's result stream expires this long after its last result
 * @param chunkStateTtl         safety TTL of a consensus chunk's collected hypotheses
 * @param roverAlpha            ROVER: weight of frequency against confidence
 * @param roverNullConfidence   ROVER: confidence of a provider's missing word
 * @param resultsAllMaxLen      approximate cap of {@code transcription:results:all}
 * @param deadMaxLen            approximate cap of {@code transcription:dead}
 */
public record AggregatorSettings(
        String consumerName,
        LoopSettings loop,
        int maxDeliveries,
        Duration deadlineSweepInterval,
        Duration consensusTimeout,
        Duration consensusHardCap,
        Duration deadlineLease,
        Duration emittedTtl,
        Duration sessionResultsTtl,
        Duration chunkStateTtl,
        double roverAlpha,
        double roverNullConfidence,
        long resultsAllMaxLen,
        long deadMaxLen) {

    public AggregatorSettings {
        Objects.requireNonNull(loop, "loop");
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
    }

    public static AggregatorSettings from(AggregatorConfig config, FleetConfig fleet) {
        LoopSettings loop = LoopSettings.builder().handlerThreads(config.concurrency())
                .virtualThreads(config.concurrency() > 0).reads(config.batchSize(), config.pollTimeout())
                .claims(config.claimIdle(), config.maintenanceInterval())
                .departures(config.consumerRemoveIdle(), config.shutdownGrace()).build();
        return builder(config.consumerName().orElseGet(ConsumerNames::defaultName)).loop(loop)
                .maxDeliveries(config.maxDeliveries())
                .consensus(config.consensusTimeout(), config.consensusHardCap(), config.deadlineSweepInterval(),
                        config.deadlineLease())
                .retention(config.emittedTtl(), config.sessionResultsTtl(), config.chunkStateTtl())
                .rover(config.rover().alpha(), config.rover().nullConfidence())
                .caps(fleet.streams().resultsAllMaxLen(), fleet.streams().deadMaxLen()).build();
    }

    /** Settings named one by one, starting from the defaults of {@link AggregatorConfig}. */
    public static Builder builder(String consumerName) {
        return new Builder(consumerName);
    }

    /** Builds {@link AggregatorSettings} by name; what is not given keeps the default of {@code aggregator.*}. */
    public static final class Builder {

        private final String consumerName;
        private LoopSettings loop = LoopSettings.builder().handlerThreads(32).virtualThreads(true)
                .reads(32, Duration.ofSeconds(1))
                .claims(Duration.ofSeconds(30), Duration.ofSeconds(5))
                .departures(Duration.ofMinutes(10), Duration.ofSeconds(10)).build();
        private int maxDeliveries = 5;
        private Duration deadlineSweepInterval = Duration.ofMillis(200);
        private Duration consensusTimeout = Duration.ofSeconds(5);
        private Duration consensusHardCap = Duration.ofSeconds(15);
        private Duration deadlineLease = Duration.ofSeconds(30);
        private Duration emittedTtl = Duration.ofHours(6);
        private Duration sessionResultsTtl = Duration.ofHours(1);
        private Duration chunkStateTtl = Duration.ofHours(1);
        private double roverAlpha = 0.7;
        private double roverNullConfidence = 0.6;
        private long resultsAllMaxLen = 100_000;
        private long deadMaxLen = 100_000;

        private Builder(String consumerName) {
            this.consumerName = consumerName;
        }

        /** How the instance reads its group: handlers at once on virtual threads, or 0 for batches on the poller. */
        public Builder loop(LoopSettings settings) {
            this.loop = settings;
            return this;
        }

        public Builder maxDeliveries(int deliveries) {
            this.maxDeliveries = deliveries;
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
            return new AggregatorSettings(consumerName, loop, maxDeliveries, deadlineSweepInterval, consensusTimeout,
                    consensusHardCap, deadlineLease, emittedTtl, sessionResultsTtl, chunkStateTtl, roverAlpha,
                    roverNullConfidence, resultsAllMaxLen, deadMaxLen);
        }
    }
}
