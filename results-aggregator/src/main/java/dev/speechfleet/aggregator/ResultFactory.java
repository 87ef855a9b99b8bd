package dev.speechfleet.aggregator;

import dev.speechfleet.aggregator.rover.Ballot;
import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.aggregator.rover.RoverResult;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResult.ResultWord;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Turns the hypotheses of a chunk into its one {@link TranscriptResult}. */
final class ResultFactory {

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
        String provider = failed.mode() == ChunkMode.CONSENSUS ? TranscriptResult.CONSENSUS_PROVIDER : failed.provider();
        return failure(failed, List.of(failed.provider()), provider, failed.costUsd(), failed.mode(),
                failed.error().isEmpty() ? "the chunk's hypothesis was dead-lettered" : failed.error());
    }

    /**
     * The error result of a consensus chunk that came due with nothing collected: its state expired
     * before it was decided, so only its session and seq are known.
     */
    TranscriptResult expired(DeadlineMember chunk) {
        return TranscriptResult.builder().utterance(chunk.sessionId(), "", chunk.seq())
                .failed(TranscriptResult.TRANSCRIPTION_FAILED,
                        "the consensus chunk's hypotheses expired before it was decided")
                .providers(TranscriptResult.CONSENSUS_PROVIDER, List.of()).mode(ChunkMode.CONSENSUS)
                .producedAtMillis(clock.millis()).build();
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
            return failure(any, providers, TranscriptResult.CONSENSUS_PROVIDER, cost, ChunkMode.CONSENSUS, noAnswerReason(collected,
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
        return TranscriptResult.builder().of(first).transcript(vote.text(), vote.confidence())
                .providers(TranscriptResult.CONSENSUS_PROVIDER, answers.stream().map(Hypothesis::provider).toList())
                .agreement(vote.agreement()).words(words).latencyMs(latency(first)).costUsd(cost)
                .mode(ChunkMode.CONSENSUS).producedAtMillis(clock.millis()).build();
    }

    private TranscriptResult answer(Hypothesis h, ChunkMode mode, double cost) {
        List<ResultWord> words = h.words().stream()
                .map(w -> new ResultWord(w.word(), w.startMs(), w.endMs(), w.confidence(), h.provider()))
                .toList();
        return TranscriptResult.builder().of(h).transcript(h.text(), h.confidence())
                .providers(h.provider(), List.of(h.provider())).words(words).latencyMs(latency(h)).costUsd(cost)
                .mode(mode).producedAtMillis(clock.millis()).build();
    }

    private TranscriptResult failure(Hypothesis h, List<String> providers, String provider, double cost,
            ChunkMode mode, String reason) {
        return TranscriptResult.builder().of(h).failed(TranscriptResult.TRANSCRIPTION_FAILED, reason)
                .providers(provider, providers).latencyMs(latency(h)).costUsd(cost).mode(mode)
                .producedAtMillis(clock.millis()).build();
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
