package dev.speechfleet.aggregator.rover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.speechfleet.core.stream.WordTiming;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoverTest {

    private final Rover rover = new Rover(0.7, 0.6);

    @Test
    void identicalBallotsGiveTheirTextWithFullAgreement() {
        RoverResult result = rover.combine(List.of(ballot("a", "turn on the light", 0.9),
                ballot("b", "turn on the light", 0.8), ballot("c", "turn on the light", 0.7)));

        assertThat(result.text()).isEqualTo("turn on the light");
        assertThat(result.agreement()).isEqualTo(1.0);
    }

    @Test
    void substitutionIsOutvotedByTheMajority() {
        RoverResult result = rover.combine(List.of(ballot("a", "the bat sat down", 0.95),
                ballot("b", "the cat sat down", 0.7), ballot("c", "the cat sat down", 0.7)));

        assertThat(result.text()).isEqualTo("the cat sat down");
        assertThat(result.agreement()).isCloseTo((1 + 2 / 3.0 + 1 + 1) / 4, offset(1e-9));
    }

    @Test
    void wordInsertedByOneBallotIsDropped() {
        RoverResult result = rover.combine(List.of(ballot("a", "the big cat sat", 0.9),
                ballot("b", "the cat sat", 0.8), ballot("c", "the cat sat", 0.8)));

        assertThat(result.text()).isEqualTo("the cat sat");
    }

    @Test
    void wordDeletedByOneBallotIsKept() {
        RoverResult result = rover.combine(List.of(ballot("a", "the sat", 0.9),
                ballot("b", "the cat sat", 0.8), ballot("c", "the cat sat", 0.8)));

        assertThat(result.text()).isEqualTo("the cat sat");
        assertThat(result.words()).extracting(RoverResult.Word::votes).containsExactly(3, 2, 3);
    }

    @Test
    void insertionLandsInItsOwnSlotBetweenAlignedWords() {
        RoverResult result = rover.combine(List.of(ballot("a", "please call me", 0.9),
                ballot("b", "please do call me", 0.8), ballot("c", "please do call me", 0.8)));

        assertThat(result.text()).isEqualTo("please do call me");
    }

    @Test
    void tieInVotesGoesToTheMoreConfidentWordWhateverTheBallotOrder() {
        Ballot unsure = ballot("a", "yellow world", 0.4);
        Ballot sure = ballot("b", "hello world", 0.9);

        assertThat(rover.combine(List.of(unsure, sure)).text()).isEqualTo("hello world");
        assertThat(rover.combine(List.of(sure, unsure)).text()).isEqualTo("hello world");
    }

    @Test
    void pureMajorityStillBreaksTiesByConfidence() {
        Rover majority = new Rover(1.0, 0.6);

        RoverResult result = majority.combine(List.of(ballot("a", "red", 0.3), ballot("b", "bed", 0.9),
                ballot("c", "fed", 0.5)));

        assertThat(result.text()).isEqualTo("bed");
        assertThat(result.words().getFirst().provider()).isEqualTo("b");
    }

    @Test
    void confidentMinorityWinsWhenConfidenceOutweighsFrequency() {
        Rover confidenceOnly = new Rover(0.0, 0.6);

        RoverResult result = confidenceOnly.combine(List.of(ballot("a", "ship", 0.99), ballot("b", "chip", 0.4),
                ballot("c", "chip", 0.4)));

        assertThat(result.text()).isEqualTo("ship");
    }

    @Test
    void caseAndPunctuationAlignButTheDisplayedFormOfTheMostConfidentVoterIsKept() {
        RoverResult result = rover.combine(List.of(
                timed("a", List.of(word("Hello,", 0, 400, 0.95), word("world.", 450, 900, 0.6))),
                timed("b", List.of(word("hello", 10, 410, 0.7), word("world", 440, 880, 0.9))),
                timed("c", List.of(word("HELLO", 5, 395, 0.5), word("World", 430, 870, 0.8)))));

        assertThat(result.text()).isEqualTo("Hello, world");
        assertThat(result.agreement()).isEqualTo(1.0);
        assertThat(result.words()).extracting(RoverResult.Word::provider).containsExactly("a", "b");
        assertThat(result.words().get(1).startMs()).isEqualTo(440);
        assertThat(result.words().get(1).confidence()).isCloseTo((0.6 + 0.9 + 0.8) / 3, offset(1e-9));
    }

    @Test
    void wordsWithoutTheirOwnConfidenceUseTheBallotConfidence() {
        RoverResult result = rover.combine(List.of(
                timed("a", List.of(word("alpha", 0, 100, -1)), 0.9),
                timed("b", List.of(word("alfa", 0, 100, 0.5)), 0.2)));

        assertThat(result.text()).isEqualTo("alpha");
        assertThat(result.confidence()).isEqualTo(0.9);
    }

    @Test
    void punctuationOnlyTokensDoNotTakeASlot() {
        RoverResult result = rover.combine(List.of(ballot("a", "yes - indeed", 0.9), ballot("b", "yes indeed", 0.9)));

        assertThat(result.text()).isEqualTo("yes indeed");
        assertThat(result.agreement()).isEqualTo(1.0);
    }

    @Test
    void emptyBallotsGiveNoWords() {
        RoverResult result = rover.combine(List.of(ballot("a", "", 0.5), ballot("b", " ", 0.7)));

        assertThat(result.words()).isEmpty();
        assertThat(result.confidence()).isCloseTo(0.6, offset(1e-9));
    }

    @Test
    void alphaOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new Rover(1.5, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alpha");
    }

    private static Ballot ballot(String provider, String text, double confidence) {
        List<WordTiming> words = new ArrayList<>();
        for (String w : text.trim().isEmpty() ? new String[0] : text.trim().split("\\s+")) {
            words.add(word(w, 0, 0, confidence));
        }
        return new Ballot(provider, words, confidence);
    }

    private static Ballot timed(String provider, List<WordTiming> words) {
        return timed(provider, words, 0.5);
    }

    private static Ballot timed(String provider, List<WordTiming> words, double confidence) {
        return new Ballot(provider, words, confidence);
    }

    private static WordTiming word(String word, long start, long end, double confidence) {
        return new WordTiming(word, start, end, confidence);
    }
}
