package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.TranscriptResult;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finishes consensus chunks whose deadline passed with providers still missing, whichever instance
 * collected them. A chunk is first claimed in the deadline index alone (a lease: its score moves
 * to now + lease), then decided from its own slot's keys, then removed from the index; an instance
 * that dies in between leaves the lease to expire and another instance finishes the chunk.
 *
 * <p>A chunk that holds only failures at its deadline is not decided yet: it moves to its hard
 * deadline, so that a slower provider can still answer. A chunk whose state expired gets an error
 * result: every due chunk ends with exactly one result.
 */
final class DeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(DeadlineSweeper.class);
    private static final int BATCH = 64;

    private final ChunkStore chunks;
    private final ResultWriter writer;
    private final ResultFactory results;
    private final AggregatorMetrics metrics;
    private final Clock clock;

    DeadlineSweeper(ChunkStore chunks, ResultWriter writer, ResultFactory results, AggregatorMetrics metrics,
            Clock clock) {
        this.chunks = chunks;
        this.writer = writer;
        this.results = results;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What became of a due chunk. */
    private enum Decision { WRITTEN, ALREADY_DECIDED, POSTPONED }

    /** Decides every chunk that is due now; returns how many results it wrote. */
    int sweep() {
        int written = 0;
        long now = clock.millis();
        for (String member : chunks.dueMembers(now, BATCH)) {
            Optional<DeadlineMember> chunk = parse(member);
            if (chunk.isEmpty() || !chunks.claimExpired(member, now)) {
                continue;
            }
            Decision decision = finish(chunk.get(), member, now);
            if (decision == Decision.WRITTEN) {
                written++;
            }
            if (decision != Decision.POSTPONED) {
                chunks.forgetDeadline(member);
            }
        }
        return written;
    }

    private Decision finish(DeadlineMember chunk, String member, long now) {
        Optional<EmittedMarker> marker = chunks.emittedMarker(chunk);
        if (marker.isPresent()) {
            // An earlier sweeper wrote the result and died before announcing it or leaving the index.
            if (marker.get().source().equals(EmittedMarker.DEADLINE)) {
                writer.reannounce(chunk.sessionId(), marker.get());
            }
            return Decision.ALREADY_DECIDED;
        }
        ChunkStore.State state = chunks.state(chunk);
        if (state.hypotheses().isEmpty()) {
            LOG.warnf("consensus chunk %s:%d is due but holds nothing (state expired); writing an error result",
                    chunk.sessionId(), chunk.seq());
            return emit(results.expired(chunk));
        }
        if (!state.hasAnswer() && now < state.hardDeadline()) {
            // Only failures so far: a slower provider may still answer; the hard cap bounds the wait.
            chunks.postpone(member, state.hardDeadline());
            return Decision.POSTPONED;
        }
        return emit(results.consensus(state.hypotheses(), true));
    }

    private Decision emit(TranscriptResult result) {
        if (writer.emitOnce(result, EmittedMarker.DEADLINE) instanceof ResultWriter.Written written) {
            writer.announce(written.result());
            metrics.emitted(result);
            metrics.consensusTimeout();
            return Decision.WRITTEN;
        }
        return Decision.ALREADY_DECIDED;
    }

    private Optional<DeadlineMember> parse(String member) {
        try {
            return Optional.of(DeadlineMember.parse(member));
        } catch (IllegalArgumentException e) {
            LOG.warnf("removing unreadable deadline member '%s': %s", member, e.getMessage());
            chunks.forgetDeadline(member);
            return Optional.empty();
        }
    }
}
