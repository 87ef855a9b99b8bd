package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.EntryHandler;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.DeadLetterCodec;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.HypothesisFields;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.SalvagedChunk;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Takes one entry of {@code transcription:hypotheses} to its end (a result, a dropped duplicate, a
 * consensus chunk that collected it, or a dead letter with an error result for its seq); the
 * aggregator's consumer loop acknowledges it only then. Everything it writes is idempotent, so an entry that comes back after a crash is
 * simply handled again.
 */
final class HypothesisHandler implements EntryHandler {

    private static final Logger LOG = Logger.getLogger(HypothesisHandler.class);

    /** Name under which the aggregator signs its dead letters. */
    static final String DEAD_LETTER_SOURCE = "aggregator";

    /** What became of an entry. */
    enum Outcome { EMITTED, DUPLICATE, COLLECTED, DEAD_LETTERED, ACKED_DELETED }

    private final RedisStreams redis;
    private final AggregatorSettings settings;
    private final ChunkStore chunks;
    private final ResultWriter writer;
    private final ResultFactory results;
    private final AggregatorMetrics metrics;
    private final Clock clock;

    HypothesisHandler(RedisStreams redis, AggregatorSettings settings, ChunkStore chunks, ResultWriter writer,
            ResultFactory results, AggregatorMetrics metrics, Clock clock) {
        this.redis = redis;
        this.settings = settings;
        this.chunks = chunks;
        this.writer = writer;
        this.results = results;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Every outcome ends the entry: the loop acknowledges it. A failure leaves it pending. */
    @Override
    public Disposition handle(StreamEntry entry, long deliveries) {
        metrics.handled(decide(entry, deliveries));
        return Disposition.ACKNOWLEDGE;
    }

    private Outcome decide(StreamEntry entry, long deliveries) {
        if (entry.deleted()) {
            return Outcome.ACKED_DELETED;
        }
        if (deliveries > settings.maxDeliveries()) {
            return deadLetter(entry, "delivered " + deliveries + " times (limit " + settings.maxDeliveries() + ")");
        }
        Hypothesis h;
        try {
            h = decode(entry);
        } catch (MalformedEntryException e) {
            return deadLetter(entry, "malformed hypothesis: " + e.getMessage());
        }
        return h.mode() == ChunkMode.CONSENSUS ? collect(entry.id(), h) : single(entry.id(), h);
    }

    private static Hypothesis decode(StreamEntry entry) {
        Hypothesis h = HypothesisCodec.decode(entry.fields());
        if (!StreamKeys.isHashTaggable(h.sessionId())) {
            throw new MalformedEntryException("session_id '" + h.sessionId()
                    + "' cannot name a key (blank or has '{', '}')");
        }
        String expected = StreamKeys.chunkId(h.sessionId(), h.seq());
        if (!expected.equals(h.chunkId())) {
            throw new MalformedEntryException("chunk_id '" + h.chunkId() + "' is not " + expected);
        }
        return h;
    }

    private Outcome single(String entryId, Hypothesis h) {
        TranscriptResult result = results.single(h);
        return switch (writer.emitOnce(result, entryId)) {
            case ResultWriter.Written written -> announced(written.result());
            case ResultWriter.AlreadyEmitted already -> alreadyDecided(entryId, h, already.marker());
        };
    }

    private Outcome collect(String entryId, Hypothesis h) {
        return switch (chunks.collect(h, clock.millis())) {
            case ChunkStore.AlreadyEmitted already -> alreadyDecided(entryId, h, already.marker());
            case ChunkStore.Open open -> {
                if (!open.added()) {
                    metrics.duplicate();
                }
                ChunkStore.State state = open.state();
                if (everyRequestedAnswered(state.hypotheses(), h.consensusProviders())) {
                    yield decideConsensus(entryId, h, state.hypotheses(), false);
                }
                // Past its deadline a chunk only waits (up to the hard cap) while no provider answered.
                if (clock.millis() >= state.deadline() && state.hasAnswer()) {
                    yield decideConsensus(entryId, h, state.hypotheses(), true);
                }
                chunks.scheduleDeadline(h.sessionId(), h.seq(), state.deadline());
                yield Outcome.COLLECTED;
            }
        };
    }

    private Outcome decideConsensus(String entryId, Hypothesis h, List<Hypothesis> collected,
            boolean deadlinePassed) {
        TranscriptResult result = results.consensus(collected, deadlinePassed);
        Outcome outcome = switch (writer.emitOnce(result, entryId)) {
            case ResultWriter.Written written -> announced(written.result());
            case ResultWriter.AlreadyEmitted already -> alreadyDecided(entryId, h, already.marker());
        };
        chunks.forgetDeadline(h.sessionId(), h.seq());
        return outcome;
    }

    /** A failed hypothesis counts as answered: the provider will not say more. */
    private static boolean everyRequestedAnswered(List<Hypothesis> collected, List<String> requested) {
        Set<String> answered = collected.stream().map(Hypothesis::provider).collect(Collectors.toSet());
        return answered.containsAll(requested);
    }

    private Outcome announced(TranscriptResult result) {
        writer.announce(result);
        metrics.emitted(result);
        return Outcome.EMITTED;
    }

    /**
     * The chunk has its result. If this very entry decided it (we crashed after writing, before
     * acknowledging) the announcement may be missing: finish it. Otherwise this is a duplicate.
     */
    private Outcome alreadyDecided(String entryId, Hypothesis h, EmittedMarker marker) {
        if (marker.source().equals(entryId)) {
            writer.reannounce(h.sessionId(), marker);
            chunks.forgetDeadline(h.sessionId(), h.seq());
            return Outcome.EMITTED;
        }
        metrics.duplicate();
        return Outcome.DUPLICATE;
    }

    /**
     * Dead-letters the entry and, when its session and seq can be read, ends its chunk with an error
     * through the same atomic emit as transcripts.
     */
    private Outcome deadLetter(StreamEntry entry, String reason) {
        LOG.warnf("dead-lettering hypothesis %s: %s", entry.id(), reason);
        redis.addCapped(StreamKeys.DEAD, DeadLetterCodec.encodeUndecodable(entry.fields().asMap(), DEAD_LETTER_SOURCE,
                reason, clock.millis()), settings.deadMaxLen());
        metrics.deadLettered();
        Optional<SalvagedChunk> chunk = SalvagedChunk.from(entry.fields());
        if (chunk.isPresent()) {
            endWithError(entry.id(), chunk.get().failedHypothesis(providerOf(entry), reason, clock.millis()));
        } else {
            LOG.warnf("dead-lettered hypothesis %s names no readable session and seq: no error result", entry.id());
        }
        return Outcome.DEAD_LETTERED;
    }

    /**
     * A dead-lettered hypothesis is its provider's failure: in single mode it is the chunk's error
     * result; in consensus mode it is collected as the provider's failed answer, so the chunk is decided
     * from its partners. Should that fail for any reason but Redis being unreachable, the error result
     * is written directly: the entry must not come back for ever.
     */
    private void endWithError(String entryId, Hypothesis failed) {
        try {
            if (failed.mode() == ChunkMode.CONSENSUS) {
                collect(entryId, failed);
            } else {
                single(entryId, failed);
            }
        } catch (RedisUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf(e, "ending %s after its dead letter failed; writing its error result directly",
                    failed.chunkId());
            TranscriptResult result = results.error(failed);
            if (writer.emitOnce(result, entryId) instanceof ResultWriter.Written written) {
                announced(written.result());
            }
        }
    }

    /** The provider a hypothesis names, when it can name one; the aggregator otherwise. */
    private static String providerOf(StreamEntry entry) {
        String provider = entry.fields().string(HypothesisFields.PROVIDER);
        return StreamKeys.isValidProviderName(provider) ? provider : DEAD_LETTER_SOURCE;
    }
}
