package dev.speechfleet.aggregator.rover;

import dev.speechfleet.core.stream.WordTiming;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded corpus for ROVER: reference sentences over a generated vocabulary, and for each sentence
 * one noisy hypothesis per error rate. At a word, with probability {@code rate}, the hypothesis makes
 * an error: a substitution (half of the errors), a deletion or an insertion (a quarter each). Correct
 * words get confidences in 0.55..1.0, wrong ones in 0.25..0.85: informative but overlapping, like a
 * real recogniser's.
 */
final class NoisyCorpus {

    private static final String[] ONSETS = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
        "br", "st", "tr", "pl"};
    private static final String[] NUCLEI = {"a", "e", "i", "o", "u", "ai", "ou"};

    /** One reference sentence and the hypotheses for it, in the order of the error rates. */
    record Sentence(List<String> reference, List<Ballot> hypotheses) {
    }

    private final Random random;
    private final List<String> vocabulary;

    NoisyCorpus(long seed, int vocabularySize) {
        this.random = new Random(seed);
        this.vocabulary = vocabulary(vocabularySize);
    }

    List<Sentence> generate(int sentences, double... errorRates) {
        List<Sentence> corpus = new ArrayList<>(sentences);
        for (int s = 0; s < sentences; s++) {
            List<String> reference = new ArrayList<>();
            int length = 6 + random.nextInt(15);
            for (int w = 0; w < length; w++) {
                reference.add(randomWord());
            }
            List<Ballot> hypotheses = new ArrayList<>();
            for (int h = 0; h < errorRates.length; h++) {
                hypotheses.add(noisy("h" + (h + 1), reference, errorRates[h]));
            }
            corpus.add(new Sentence(reference, hypotheses));
        }
        return corpus;
    }

    private Ballot noisy(String provider, List<String> reference, double rate) {
        List<WordTiming> words = new ArrayList<>();
        for (String word : reference) {
            if (random.nextDouble() >= rate) {
                words.add(new WordTiming(word, 0, 0, correctConfidence()));
                continue;
            }
            double kind = random.nextDouble();
            if (kind < 0.5) {
                words.add(new WordTiming(otherWord(word), 0, 0, wrongConfidence()));
            } else if (kind < 0.75) {
                continue;
            } else {
                words.add(new WordTiming(word, 0, 0, correctConfidence()));
                words.add(new WordTiming(randomWord(), 0, 0, wrongConfidence()));
            }
        }
        double mean = words.stream().mapToDouble(WordTiming::confidence).average().orElse(0.5);
        return new Ballot(provider, words, mean);
    }

    private double correctConfidence() {
        return 0.55 + 0.45 * random.nextDouble();
    }

    private double wrongConfidence() {
        return 0.25 + 0.6 * random.nextDouble();
    }

    private String randomWord() {
        return vocabulary.get(random.nextInt(vocabulary.size()));
    }

    private String otherWord(String word) {
        String other;
        do {
            other = randomWord();
        } while (other.equals(word));
        return other;
    }

    private List<String> vocabulary(int size) {
        java.util.Set<String> words = new java.util.LinkedHashSet<>();
        while (words.size() < size) {
            StringBuilder word = new StringBuilder();
            int syllables = 1 + random.nextInt(3);
            for (int i = 0; i < syllables; i++) {
                word.append(ONSETS[random.nextInt(ONSETS.length)]).append(NUCLEI[random.nextInt(NUCLEI.length)]);
            }
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}
