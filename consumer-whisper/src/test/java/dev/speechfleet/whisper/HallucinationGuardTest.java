package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class HallucinationGuardTest {

    private final HallucinationGuard guard = new HallucinationGuard(HallucinationGuard.DEFAULT_PHRASES);

    @ParameterizedTest
    @ValueSource(strings = {
        "Turn on the kitchen lights.",
        "Thank you.",
        "No, no, no, not that one.",
        "Really really really good.",
        "I said the lights, the lights in the kitchen, not the lights in the hall.",
        "You can turn it off now.",
        "Set a timer for ten minutes and then another timer for five minutes."})
    void speechIsLeftAlone(String text) {
        assertThat(guard.check(text, List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Thanks for watching!",
        "Thank you for watching. Please subscribe to my channel.",
        "you",
        " You. ",
        "Subtitles by the Amara.org community",
        "THANKS FOR WATCHING AND SEE YOU NEXT TIME!"})
    void knownSilencePhrasesAreWithheld(String text) {
        assertThat(guard.check(text, List.of())).contains(HallucinationGuard.SILENCE_PHRASE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Thank you. Thank you. Thank you. Thank you.",
        "the the the the the the the the the",
        "I'm going to go to the store. I'm going to go to the store. I'm going to go to the store."
            + " I'm going to go to the store.",
        "Okay, so, okay, so, okay, so, okay, so, okay, so."})
    void aPhraseInALoopIsWithheld(String text) {
        assertThat(guard.check(text, List.of())).contains(HallucinationGuard.REPETITION);
    }

    @Test
    void textThatCompressesLikeALoopIsWithheldEvenWithoutAnExactRepeat() {
        String drifting = "and then we went to the market and then we went to the market again and then we went"
                + " to the market once more and then we went to the market and then we went to the market";

        assertThat(HallucinationGuard.compressesLikeALoop(drifting)).isTrue();
        assertThat(guard.check(drifting, List.of())).contains(HallucinationGuard.REPETITION);
        assertThat(HallucinationGuard.compressesLikeALoop(
                "Set a timer for ten minutes, then remind me to call Anna about the train tickets for Friday"
                        + " and the hotel in Lyon.")).isFalse();
    }

    @Test
    void thePromptSaidBackIsWithheldButOneKeyTermAloneStands() {
        List<String> keyterms = List.of("Kitchen", "Hue lights");

        assertThat(guard.check("Kitchen, Hue lights.", keyterms)).contains(HallucinationGuard.PROMPT_ECHO);
        assertThat(guard.check("Kitchen.", keyterms)).isEmpty();
        assertThat(guard.check("Kitchen, Hue lights.", List.of())).isEmpty();
    }

    @Test
    void configuredPhrasesReplaceTheDefaults() {
        HallucinationGuard custom = new HallucinationGuard(List.of("Untertitel im Auftrag des ZDF"));

        assertThat(custom.check("Untertitel im Auftrag des ZDF, 2020", List.of())).isEmpty();
        assertThat(custom.check("Untertitel im Auftrag des ZDF.", List.of()))
                .contains(HallucinationGuard.SILENCE_PHRASE);
        assertThat(custom.check("Thanks for watching!", List.of())).isEmpty();
    }

    @Test
    void emptyTextIsNothingToWithhold() {
        assertThat(guard.check("", List.of("a", "b"))).isEmpty();
        assertThat(guard.check(" ... ", List.of())).isEmpty();
    }
}
