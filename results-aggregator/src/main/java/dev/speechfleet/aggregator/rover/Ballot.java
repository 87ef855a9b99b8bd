package dev.speechfleet.aggregator.rover;

import dev.speechfleet.core.stream.WordTiming;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One provider's word sequence for a chunk, as ROVER takes it.
 *
 * @param provider   who produced it; reported as the winner of the words it contributes
 * @param words      its words in order, displayed form with timings; a word's confidence outside
 *                   0..1 means the provider gave none
 * @param confidence the hypothesis-level confidence (0..1), used for words without their own
 */
public record Ballot(String provider, List<WordTiming> words, double confidence) {

    public Ballot {
        Objects.requireNonNull(provider, "provider");
        words = words == null ? List.of() : List.copyOf(words);
    }

    /** A ballot from plain text (no timings): words split on white space. */
    public static Ballot ofText(String provider, String text, double confidence) {
        List<WordTiming> words = text == null || text.isBlank() ? List.of()
                : Arrays.stream(text.trim().split("\\s+")).map(w -> new WordTiming(w, 0, 0, -1)).toList();
        return new Ballot(provider, words, confidence);
    }
}
