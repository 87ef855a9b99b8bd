package dev.speechfleet.aggregator.rover;

import java.util.List;

/** Word error rate: (substitutions + deletions + insertions) / reference words, by edit distance on normalised words. */
final class WordErrorRate {

    private long errors;
    private long referenceWords;

    void add(List<String> reference, List<String> hypothesis) {
        List<String> ref = reference.stream().map(WordForm::normalize).toList();
        List<String> hyp = hypothesis.stream().map(WordForm::normalize).filter(w -> !w.isEmpty()).toList();
        errors += editDistance(ref, hyp);
        referenceWords += ref.size();
    }

    double rate() {
        return referenceWords == 0 ? 0 : errors / (double) referenceWords;
    }

    static int editDistance(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                int substitution = previous[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
