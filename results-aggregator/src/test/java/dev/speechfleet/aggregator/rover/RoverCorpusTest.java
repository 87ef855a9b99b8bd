package dev.speechfleet.aggregator.rover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.WordTiming;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * ROVER on a generated corpus: three hypotheses per sentence with independent word errors at known
 * rates. Prints each hypothesis' WER beside the combined one; the combined one must beat the best.
 */
class RoverCorpusTest {

    private static final long SEED = 20_261_121L;
    private static final double[] ERROR_RATES = {0.10, 0.15, 0.20};

    @Test
    void combinedWordErrorRateIsBelowTheBestSingleHypothesis() {
        List<NoisyCorpus.Sentence> corpus = new NoisyCorpus(SEED, 500).generate(500, ERROR_RATES);
        Rover rover = new Rover(0.7, 0.6);

        WordErrorRate[] singles = {new WordErrorRate(), new WordErrorRate(), new WordErrorRate()};
        WordErrorRate combined = new WordErrorRate();
        for (NoisyCorpus.Sentence sentence : corpus) {
            for (int h = 0; h < singles.length; h++) {
                singles[h].add(sentence.reference(), words(sentence.hypotheses().get(h)));
            }
            combined.add(sentence.reference(), rover.combine(byConfidence(sentence.hypotheses())).words().stream()
                    .map(RoverResult.Word::displayed).toList());
        }

        System.out.printf(Locale.ROOT, "ROVER corpus (seed %d, 500 sentences, alpha 0.7, null confidence 0.6):%n", SEED);
        for (int h = 0; h < singles.length; h++) {
            System.out.printf(Locale.ROOT, "  hypothesis %d (error rate %.2f): WER %.4f%n", h + 1, ERROR_RATES[h],
                    singles[h].rate());
        }
        System.out.printf(Locale.ROOT, "  ROVER combined:                 WER %.4f%n", combined.rate());
        double best = Math.min(singles[0].rate(), Math.min(singles[1].rate(), singles[2].rate()));
        assertThat(combined.rate()).isLessThan(best);
    }

    static List<String> words(Ballot ballot) {
        return ballot.words().stream().map(WordTiming::word).toList();
    }

    /** The aggregator aligns the most confident hypothesis first; so does the corpus. */
    static List<Ballot> byConfidence(List<Ballot> ballots) {
        return ballots.stream().sorted(Comparator.comparingDouble(Ballot::confidence).reversed()).toList();
    }
}
