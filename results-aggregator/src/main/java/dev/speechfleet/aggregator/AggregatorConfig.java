package dev.speechfleet.aggregator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Configuration of the results aggregator ({@code aggregator.*}). Stream caps come from {@code fleet.streams.*}. */
@ConfigMapping(prefix = "aggregator")
public interface AggregatorConfig {

    /** Whether this process runs the aggregator loop (off for a process that only hosts other services). */
    @WithDefault("true")
    boolean enabled();

    /** Name of this instance in group {@code aggregator}; defaults to {@code $HOSTNAME-<pid>} (the pod name). */
    Optional<String> consumerName();

    /**
     * Hypotheses handled at once, each on a virtual thread (a handler mostly waits on Redis), in any
     * order; 0 handles each read batch on the poller, one after the other, in stream order.
     */
    @WithDefault("32")
    int concurrency();

    /** Most entries fetched by one XREADGROUP. */
    @WithDefault("32")
    int batchSize();

    /** How long one blocking XREADGROUP waits for new hypotheses. */
    @WithDefault("1s")
    Duration pollTimeout();

    /** A pending hypothesis idle this long belongs to a crashed instance and is claimed by a live one. */
    @WithDefault("30s")
    Duration claimIdle();

    /** A hypothesis delivered more often than this goes to transcription:dead instead of looping. */
    @WithDefault("5")
    int maxDeliveries();

    /** How often abandoned entries are claimed and transcription:hypotheses is trimmed. */
    @WithDefault("5s")
    Duration maintenanceInterval();

    /** How often expired consensus deadlines are looked for. */
    @WithDefault("200ms")
    Duration deadlineSweepInterval();

    /** A consensus chunk is decided this long after its first hypothesis, even if providers are missing. */
    @WithDefault("5s")
    Duration consensusTimeout();

    /**
     * A consensus chunk that holds only failed hypotheses at its timeout waits for the providers still
     * missing up to this long after its first hypothesis (at least the timeout; keep it below the
     * router's {@code router.delivery.hold-timeout}).
     */
    @WithDefault("15s")
    Duration consensusHardCap();

    /** An instance finishing an expired chunk holds it this long; if it dies, another takes over afterwards. */
    @WithDefault("30s")
    Duration deadlineLease();

    /** How long a chunk's "emitted" marker lives, i.e. how late a duplicate can still be recognised. */
    @WithDefault("6h")
    Duration emittedTtl();

    /** A session's result stream expires this long after its last result. */
    @WithDefault("1h")
    Duration sessionResultsTtl();

    /** Safety TTL of a consensus chunk's collected hypotheses (normally deleted when its result is written). */
    @WithDefault("1h")
    Duration chunkStateTtl();

    /** An instance idle this long that holds no entries has left: it is removed from the group. */
    @WithDefault("10m")
    Duration consumerRemoveIdle();

    /** How long a stopping instance waits for its poller to finish the batch in hand. */
    @WithDefault("10s")
    Duration shutdownGrace();

    /** ROVER voting. */
    Rover rover();

    interface Rover {
        /** Weight of vote frequency against word confidence in a slot's score, 0..1 (1 = pure majority). */
        @WithDefault("0.7")
        double alpha();

        /** Confidence of a null arc (a provider that has no word in a slot), 0..1. */
        @WithDefault("0.6")
        double nullConfidence();
    }
}
