package dev.speechfleet.aggregator;

import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.TranscriptResult;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finishes consensus chunks whose deadline passed with providers still missing, whichever instance
 * collected them. A chunk is first claimed in the deadline index alone (a lease: its score moves
 * to now + lease), then decided from its own slot's keys, then removed from the index; an instance
 * that dies in between leaves the lease to expire and another instance finishes the chunk.
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

    /** Decides every chunk that is due now; returns how many results it wrote. */
    int sweep() {
        int written = 0;
        long now = clock.millis();
        for (String member : chunks.dueMembers(now, BATCH)) {
            Optional<DeadlineMember> chunk = parse(member);
            if (chunk.isEmpty() || !chunks.claimExpired(member, now)) {
                continue;
            }
            if (finish(chunk.get())) {
                written++;
            }
            chunks.forgetDeadline(member);
        }
        return written;
    }

    private boolean finish(DeadlineMember chunk) {
        Optional<EmittedMarker> marker = chunks.emittedMarker(chunk);
        if (marker.isPresent()) {
            // An earlier sweeper wrote the result and died before announcing it or leaving the index.
            if (marker.get().source().equals(EmittedMarker.DEADLINE)) {
                writer.reannounce(chunk.sessionId(), marker.get());
            }
            return false;
        }
        List<Hypothesis> collected = chunks.collected(chunk);
        if (collected.isEmpty()) {
            LOG.warnf("consensus chunk %s:%d is due but holds nothing (state expired); dropping it from the index",
                    chunk.sessionId(), chunk.seq());
            return false;
        }
        TranscriptResult result = results.consensus(collected, true);
        if (writer.emitOnce(result, EmittedMarker.DEADLINE) instanceof ResultWriter.Written) {
            writer.announce(result);
            metrics.emitted(result);
            metrics.consensusTimeout();
            return true;
        }
        return false;
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
