package dev.speechfleet.aggregator;

import dev.speechfleet.aggregator.rover.Ballot;
import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.aggregator.rover.RoverResult;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResult.ResultWord;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Turns the hypotheses of a chunk into its one {@link TranscriptResult}. */
final class ResultFactory {

    /** The provider name a result combined from several providers carries. */
    static final String CONSENSUS = "consensus";

    /** Most confident first (ROVER aligns in this order), then by name so the outcome is deterministic. */
    private static final Comparator<Hypothesis> ALIGNMENT_ORDER = Comparator.comparingDouble(Hypothesis::confidence)
            .reversed().thenComparing(Hypothesis::provider);

    private final Rover rover;
    private final Clock clock;

    ResultFactory(Rover rover, Clock clock) {
        this.rover = rover;
        this.clock = clock;
    }

    /** Single mode: the hypothesis itself, or an error result when its chain failed. */
    TranscriptResult single(Hypothesis h) {
        if (!h.ok()) {
            return failure(h, List.of(h.provider()), h.provider(), h.costUsd(), ChunkMode.SINGLE,
                    h.error().isEmpty() ? "every provider of the chain failed" : h.error());
        }
        return answer(h, ChunkMode.SINGLE, h.costUsd());
    }

    /** The error result of a chunk that ends with {@code failed} (a dead-lettered hypothesis), in its own mode. */
    TranscriptResult error(Hypothesis failed) {
        String provider = failed.mode() == ChunkMode.CONSENSUS ? CONSENSUS : failed.provider();
        return failure(failed, List.of(failed.provider()), provider, failed.costUsd(), failed.mode(),
                failed.error().isEmpty() ? "the chunk's hypothesis was dead-lettered" : failed.error());
    }

    /**
     * The error result of a consensus chunk that came due with nothing collected: its state expired
     * before it was decided, so only its session and seq are known.
     */
    TranscriptResult expired(DeadlineMember chunk) {
        return new TranscriptResult(StreamKeys.chunkId(chunk.sessionId(), chunk.seq()), chunk.sessionId(), "",
                chunk.seq(), false, "", 0, CONSENSUS, List.of(), 0, List.of(), 0, 0, 0, 0, ChunkMode.CONSENSUS,
                TranscriptResult.TRANSCRIPTION_FAILED,
                "the consensus chunk's hypotheses expired before it was decided", clock.millis());
    }

    /**
     * Consensus mode: ROVER over the successful hypotheses; one alone is used as it is; none gives an
     * error result. The cost is that of every hypothesis collected, failed ones included.
     */
    TranscriptResult consensus(List<Hypothesis> collected, boolean deadlinePassed) {
        Hypothesis any = collected.getFirst();
        double cost = collected.stream().mapToDouble(Hypothesis::costUsd).sum();
        List<Hypothesis> answers = collected.stream().filter(Hypothesis::ok).sorted(ALIGNMENT_ORDER).toList();
        if (answers.isEmpty()) {
            List<String> providers = collected.stream().map(Hypothesis::provider).sorted().toList();
            return failure(any, providers, CONSENSUS, cost, ChunkMode.CONSENSUS, noAnswerReason(collected,
                    deadlinePassed));
        }
        if (answers.size() == 1) {
            return answer(answers.getFirst(), ChunkMode.CONSENSUS, cost);
        }
        return combined(answers, cost);
    }

    private TranscriptResult combined(List<Hypothesis> answers, double cost) {
        Hypothesis first = answers.getFirst();
        RoverResult vote = rover.combine(answers.stream()
                .map(h -> h.words().isEmpty() ? Ballot.ofText(h.provider(), h.text(), h.confidence())
                        : new Ballot(h.provider(), h.words(), h.confidence()))
                .toList());
        List<ResultWord> words = vote.words().stream()
                .map(w -> new ResultWord(w.displayed(), w.startMs(), w.endMs(), w.confidence(), w.provider()))
                .toList();
        return new TranscriptResult(first.chunkId(), first.sessionId(), first.deviceId(), first.seq(), true,
                vote.text(), vote.confidence(), CONSENSUS, answers.stream().map(Hypothesis::provider).toList(),
                vote.agreement(), words, first.startMs(), first.startMs() + first.durationMs(), latency(first), cost,
                ChunkMode.CONSENSUS, "", "", clock.millis());
    }

    private TranscriptResult answer(Hypothesis h, ChunkMode mode, double cost) {
        List<ResultWord> words = h.words().stream()
                .map(w -> new ResultWord(w.word(), w.startMs(), w.endMs(), w.confidence(), h.provider()))
                .toList();
        return new TranscriptResult(h.chunkId(), h.sessionId(), h.deviceId(), h.seq(), true, h.text(),
                h.confidence(), h.provider(), List.of(h.provider()), 1.0, words, h.startMs(),
                h.startMs() + h.durationMs(), latency(h), cost, mode, "", "", clock.millis());
    }

    private TranscriptResult failure(Hypothesis h, List<String> providers, String provider, double cost,
            ChunkMode mode, String reason) {
        return new TranscriptResult(h.chunkId(), h.sessionId(), h.deviceId(), h.seq(), false, "", 0, provider,
                providers, 0, List.of(), h.startMs(), h.startMs() + h.durationMs(), latency(h), cost, mode,
                TranscriptResult.TRANSCRIPTION_FAILED, reason, clock.millis());
    }

    private static String noAnswerReason(List<Hypothesis> collected, boolean deadlinePassed) {
        String failures = collected.stream()
                .map(h -> h.provider() + ": " + (h.error().isEmpty() ? "failed" : h.error()))
                .collect(Collectors.joining("; "));
        return (deadlinePassed ? "no provider answered before the consensus deadline" : "every provider failed")
                + " (" + failures + ")";
    }

    private long latency(Hypothesis h) {
        return h.enqueuedAtMillis() > 0 ? Math.max(0, clock.millis() - h.enqueuedAtMillis()) : 0;
    }
}
