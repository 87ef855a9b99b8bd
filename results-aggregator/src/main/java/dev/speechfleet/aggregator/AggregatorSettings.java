package dev.speechfleet.aggregator;

import dev.speechfleet.core.config.FleetConfig;
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
        if (batchSize < 1) {
            throw new IllegalArgumentException("aggregator.batch-size must be at least 1: " + batchSize);
        }
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
        return new AggregatorSettings(config.consumerName().orElseGet(ConsumerNames::defaultName), config.batchSize(),
                config.pollTimeout(), config.claimIdle(), config.maxDeliveries(), config.maintenanceInterval(),
                config.deadlineSweepInterval(), config.consensusTimeout(), config.consensusHardCap(),
                config.deadlineLease(), config.emittedTtl(), config.sessionResultsTtl(), config.chunkStateTtl(),
                config.consumerRemoveIdle(), config.shutdownGrace(), config.rover().alpha(),
                config.rover().nullConfidence(), fleet.streams().resultsAllMaxLen(), fleet.streams().deadMaxLen());
    }

    /** The same settings under another consumer name. */
    public AggregatorSettings withConsumerName(String name) {
        return new AggregatorSettings(name, batchSize, pollTimeout, claimIdle, maxDeliveries, maintenanceInterval,
                deadlineSweepInterval, consensusTimeout, consensusHardCap, deadlineLease, emittedTtl, sessionResultsTtl,
                chunkStateTtl, consumerRemoveIdle, shutdownGrace, roverAlpha, roverNullConfidence, resultsAllMaxLen,
                deadMaxLen);
    }
}
