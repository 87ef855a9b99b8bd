package dev.speechfleet.aggregator.rover;

import dev.speechfleet.core.stream.WordTiming;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ROVER (Fiscus 1997): aligns the ballots' word sequences into a word transition network, one
 * ballot after the other, by dynamic programming with null arcs, then votes in every slot.
 *
 * <p>A candidate's score in a slot is {@code alpha * votes / ballots + (1 - alpha) * confidence},
 * where confidence is the mean confidence of its voters and a null arc (the word is absent) has the
 * configured null confidence. Equal scores go to the more confident candidate, then to the one with
 * more votes, then to the one an earlier ballot proposed, so the outcome never depends on hashing.
 * Ballots are aligned in the order given: callers pass the most confident first.
 */
public final class Rover {

    private final double alpha;
    private final double nullConfidence;

    /**
     * @param alpha          weight of vote frequency against confidence, 0..1 (1 = pure majority)
     * @param nullConfidence confidence given to a null arc (a ballot that has no word in a slot)
     */
    public Rover(double alpha, double nullConfidence) {
        if (alpha < 0 || alpha > 1 || Double.isNaN(alpha)) {
            throw new IllegalArgumentException("alpha must be within 0..1: " + alpha);
        }
        if (nullConfidence < 0 || nullConfidence > 1 || Double.isNaN(nullConfidence)) {
            throw new IllegalArgumentException("null confidence must be within 0..1: " + nullConfidence);
        }
        this.alpha = alpha;
        this.nullConfidence = nullConfidence;
    }

    /** Combines at least one ballot into the consensus word sequence. */
    public RoverResult combine(List<Ballot> ballots) {
        if (ballots.isEmpty()) {
            throw new IllegalArgumentException("ROVER needs at least one ballot");
        }
        List<Arc[]> network = new ArrayList<>();
        for (int b = 0; b < ballots.size(); b++) {
            network = align(network, arcsOf(ballots.get(b), b), b, ballots.size());
        }
        return vote(network, ballots);
    }

    /** A word of one ballot in the network; {@code null} entries of a slot are null arcs. */
    private record Arc(String normalized, WordTiming word, double confidence, int ballot, String provider) {
    }

    private static List<Arc> arcsOf(Ballot ballot, int index) {
        List<Arc> arcs = new ArrayList<>();
        for (WordTiming word : ballot.words()) {
            String normalized = WordForm.normalize(word.word());
            if (normalized.isEmpty()) {
                continue;
            }
            double confidence = word.confidence() >= 0 && word.confidence() <= 1 ? word.confidence()
                    : clamp(ballot.confidence());
            arcs.add(new Arc(normalized, word, confidence, index, ballot.provider()));
        }
        return arcs;
    }

    /**
     * Aligns ballot {@code b}'s words to the network of ballots {@code 0..b-1} with minimum edit cost:
     * a word matching any arc of a slot costs 0, another word 1; skipping a slot costs 0 when the slot
     * already holds a null arc, else 1; a word with no slot opens a new slot (cost 1) in which every
     * earlier ballot has a null arc.
     */
    private static List<Arc[]> align(List<Arc[]> network, List<Arc> words, int b, int ballots) {
        int n = network.size();
        int m = words.size();
        int[][] cost = new int[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            cost[i][0] = cost[i - 1][0] + skipCost(network.get(i - 1), b);
        }
        for (int j = 1; j <= m; j++) {
            cost[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int place = cost[i - 1][j - 1] + placeCost(network.get(i - 1), words.get(j - 1), b);
                int skip = cost[i - 1][j] + skipCost(network.get(i - 1), b);
                int open = cost[i][j - 1] + 1;
                cost[i][j] = Math.min(place, Math.min(skip, open));
            }
        }
        return backtrace(network, words, b, ballots, cost);
    }

    private static List<Arc[]> backtrace(List<Arc[]> network, List<Arc> words, int b, int ballots, int[][] cost) {
        List<Arc[]> aligned = new ArrayList<>();
        int i = network.size();
        int j = words.size();
        while (i > 0 || j > 0) {
            if (i > 0 && j > 0
                    && cost[i][j] == cost[i - 1][j - 1] + placeCost(network.get(i - 1), words.get(j - 1), b)) {
                aligned.add(withArc(network.get(i - 1), words.get(j - 1), b, ballots));
                i--;
                j--;
            } else if (i > 0 && cost[i][j] == cost[i - 1][j] + skipCost(network.get(i - 1), b)) {
                aligned.add(withArc(network.get(i - 1), null, b, ballots));
                i--;
            } else {
                aligned.add(withArc(new Arc[ballots], words.get(j - 1), b, ballots));
                j--;
            }
        }
        Collections.reverse(aligned);
        return aligned;
    }

    private static Arc[] withArc(Arc[] slot, Arc word, int b, int ballots) {
        Arc[] copy = Arrays.copyOf(slot, ballots);
        copy[b] = word;
        return copy;
    }

    private static int placeCost(Arc[] slot, Arc word, int b) {
        for (int k = 0; k < b; k++) {
            if (slot[k] != null && slot[k].normalized().equals(word.normalized())) {
                return 0;
            }
        }
        return 1;
    }

    private static int skipCost(Arc[] slot, int b) {
        for (int k = 0; k < b; k++) {
            if (slot[k] == null) {
                return 0;
            }
        }
        return b == 0 ? 0 : 1;
    }

    /** Votes slot by slot; a slot won by the null arc emits nothing. */
    private RoverResult vote(List<Arc[]> network, List<Ballot> ballots) {
        List<RoverResult.Word> words = new ArrayList<>();
        double agreementSum = 0;
        for (Arc[] slot : network) {
            Candidate winner = winnerOf(slot);
            agreementSum += winner.votes() / (double) slot.length;
            if (winner.normalized() != null) {
                Arc best = winner.best();
                words.add(new RoverResult.Word(best.word().word(), best.word().startMs(), best.word().endMs(),
                        winner.meanConfidence(), winner.votes(), best.provider()));
            }
        }
        double agreement = network.isEmpty() ? 1.0 : agreementSum / network.size();
        double confidence = words.isEmpty()
                ? ballots.stream().mapToDouble(ballot -> clamp(ballot.confidence())).average().orElse(0)
                : words.stream().mapToDouble(RoverResult.Word::confidence).average().orElse(0);
        return new RoverResult(words, agreement, confidence);
    }

    /** One distinct word of a slot ({@code normalized == null}: the null arc) with its voters. */
    private record Candidate(String normalized, int votes, double confidenceSum, Arc best, int firstBallot) {

        double meanConfidence() {
            return confidenceSum / votes;
        }
    }

    private Candidate winnerOf(Arc[] slot) {
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (int k = 0; k < slot.length; k++) {
            Arc arc = slot[k];
            String key = arc == null ? null : arc.normalized();
            double confidence = arc == null ? nullConfidence : arc.confidence();
            Candidate previous = candidates.get(key);
            if (previous == null) {
                candidates.put(key, new Candidate(key, 1, confidence, arc, k));
            } else {
                Arc best = arc != null && (previous.best() == null || arc.confidence() > previous.best().confidence())
                        ? arc : previous.best();
                candidates.put(key, new Candidate(key, previous.votes() + 1, previous.confidenceSum() + confidence,
                        best, previous.firstBallot()));
            }
        }
        Candidate winner = null;
        for (Candidate candidate : candidates.values()) {
            if (winner == null || beats(candidate, winner, slot.length)) {
                winner = candidate;
            }
        }
        return winner;
    }

    private boolean beats(Candidate a, Candidate b, int ballots) {
        int byScore = Double.compare(score(a, ballots), score(b, ballots));
        if (byScore != 0) {
            return byScore > 0;
        }
        int byConfidence = Double.compare(a.meanConfidence(), b.meanConfidence());
        if (byConfidence != 0) {
            return byConfidence > 0;
        }
        if (a.votes() != b.votes()) {
            return a.votes() > b.votes();
        }
        return a.firstBallot() < b.firstBallot();
    }

    private double score(Candidate candidate, int ballots) {
        return alpha * candidate.votes() / ballots + (1 - alpha) * candidate.meanConfidence();
    }

    private static double clamp(double confidence) {
        return Double.isNaN(confidence) ? 0 : Math.max(0, Math.min(1, confidence));
    }
}
