package dev.speechfleet.aggregator.rover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ROVER on larger generated corpora: WER of each hypothesis beside the combined WER for several error
 * rates and weights, and the time one combination takes. Run with
 * {@code ./mvnw -B -o -f results-aggregator/pom.xml verify -Pslow -Dtest='*BenchmarkTest'}.
 */
@Tag("slow")
class RoverBenchmarkTest {

    private static final long SEED = 7_919L;
    private static final int SENTENCES = 3_000;
    private static final double[][] ERROR_RATES = {{0.05, 0.10, 0.15}, {0.10, 0.15, 0.20}, {0.20, 0.25, 0.30}};
    private static final double[] ALPHAS = {0.5, 0.7, 1.0};

    @Test
    void wordErrorRatesAcrossErrorRatesAndWeights() {
        System.out.printf(Locale.ROOT, "ROVER WER, %d sentences of 6..20 words per row, seed %d, null confidence 0.6%n",
                SENTENCES, SEED);
        System.out.println("| error rates | WER h1 | WER h2 | WER h3 | ROVER a=0.5 | ROVER a=0.7 | ROVER a=1.0 |");
        for (double[] rates : ERROR_RATES) {
            List<NoisyCorpus.Sentence> corpus = new NoisyCorpus(SEED, 1_000).generate(SENTENCES, rates);
            double[] singles = new double[3];
            for (int h = 0; h < 3; h++) {
                WordErrorRate wer = new WordErrorRate();
                for (NoisyCorpus.Sentence s : corpus) {
                    wer.add(s.reference(), RoverCorpusTest.words(s.hypotheses().get(h)));
                }
                singles[h] = wer.rate();
            }
            double[] combined = new double[ALPHAS.length];
            for (int a = 0; a < ALPHAS.length; a++) {
                combined[a] = combinedRate(corpus, new Rover(ALPHAS[a], 0.6));
            }
            System.out.printf(Locale.ROOT, "| %.2f/%.2f/%.2f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n", rates[0],
                    rates[1], rates[2], singles[0], singles[1], singles[2], combined[0], combined[1], combined[2]);
            assertThat(combined[1]).isLessThan(Math.min(singles[0], Math.min(singles[1], singles[2])));
        }
    }

    @Test
    void timePerCombination() {
        List<NoisyCorpus.Sentence> corpus = new NoisyCorpus(SEED, 1_000).generate(SENTENCES, 0.10, 0.15, 0.20);
        Rover rover = new Rover(0.7, 0.6);
        for (int warmup = 0; warmup < 3; warmup++) {
            combinedRate(corpus, rover);
        }
        int rounds = 5;
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            combinedRate(corpus, rover);
        }
        double microsEach = (System.nanoTime() - started) / 1e3 / (rounds * (double) SENTENCES);
        System.out.printf(Locale.ROOT, "ROVER: %.1f us per combination of 3 hypotheses (~13 words each, WER scoring "
                + "included)%n", microsEach);
        assertThat(microsEach).isPositive();
    }

    private static double combinedRate(List<NoisyCorpus.Sentence> corpus, Rover rover) {
        WordErrorRate wer = new WordErrorRate();
        for (NoisyCorpus.Sentence s : corpus) {
            wer.add(s.reference(), rover.combine(RoverCorpusTest.byConfidence(s.hypotheses())).words().stream()
                    .map(RoverResult.Word::displayed).toList());
        }
        return wer.rate();
    }
}
