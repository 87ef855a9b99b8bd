package dev.speechfleet.aggregator.rover;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of a ROVER vote.
 *
 * @param words      the winning words in order
 * @param agreement  0..1: the mean, over the network's slots, of the share of ballots that voted for
 *                   the slot's winner (a null arc included); 1 when every ballot said the same
 * @param confidence 0..1: the mean confidence of the winning words
 */
public record RoverResult(List<Word> words, double agreement, double confidence) {

    public RoverResult {
        words = List.copyOf(words);
    }

    /** The text: winning words, displayed form, separated by single spaces. */
    public String text() {
        return words.stream().map(Word::displayed).collect(Collectors.joining(" "));
    }

    /**
     * A winning word.
     *
     * @param displayed  as the winning provider wrote it
     * @param startMs    its start within the chunk, from the winning provider
     * @param endMs      its end within the chunk
     * @param confidence mean confidence of the ballots that voted for it
     * @param votes      how many ballots voted for it
     * @param provider   the provider whose arc was chosen (the most confident voter for the word)
     */
    public record Word(String displayed, long startMs, long endMs, double confidence, int votes, String provider) {
    }
}
