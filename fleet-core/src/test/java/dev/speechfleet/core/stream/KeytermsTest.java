package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeytermsTest {

    @Test
    void phrasesAreTidiedAndARepeatIsKeptOnce() {
        assertThat(Keyterms.validate(List.of("  Hue   lights ", "Kitchen", "kitchen", "Kelly Byrne-Donoghue")))
                .containsExactly("Hue lights", "Kitchen", "Kelly Byrne-Donoghue");
    }

    @Test
    void tooManyPhrasesAreRefused() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= Keyterms.MAX_TERMS; i++) {
            many.add("term " + i);
        }

        assertThatThrownBy(() -> Keyterms.validate(many)).hasMessageContaining("at most " + Keyterms.MAX_TERMS);
    }

    @Test
    void aPhraseOfMoreThanSixWordsIsRefused() {
        assertThatThrownBy(() -> Keyterms.validate(List.of("one two three four five six seven")))
                .hasMessageContaining("more than 6 words");
    }

    @Test
    void aLongPhraseIsRefused() {
        assertThatThrownBy(() -> Keyterms.validate(List.of("x".repeat(Keyterms.MAX_TERM_CHARS + 1))))
                .hasMessageContaining("longer than");
    }

    @Test
    void tooManyCharactersInAllAreRefused() {
        List<String> long40 = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long40.add(String.join("", Collections.nCopies(36, "ab")).substring(0, 38) + i);
        }

        assertThatThrownBy(() -> Keyterms.validate(long40)).hasMessageContaining("characters; at most 1000");
    }

    @Test
    void controlCharactersBlankAndPunctuationOnlyPhrasesAreRefused() {
        assertThatThrownBy(() -> Keyterms.validate(List.of("line\nbreak"))).hasMessageContaining("control");
        assertThatThrownBy(() -> Keyterms.validate(List.of("   "))).hasMessageContaining("letter or digit");
        assertThatThrownBy(() -> Keyterms.validate(List.of("?!"))).hasMessageContaining("letter or digit");
    }

    @Test
    void theEntryFieldIsAJsonArraySoPhrasesMayHoldCommas() {
        List<String> phrases = List.of("Smith, John", "Hue \"lights\"");

        assertThat(Keyterms.fromJson(Keyterms.toJson(phrases))).isEqualTo(phrases);
        assertThat(Keyterms.fromJson(null)).isEmpty();
        assertThatThrownBy(() -> Keyterms.fromJson("Smith, John")).isInstanceOf(MalformedEntryException.class);
        assertThatThrownBy(() -> Keyterms.fromJson("[1]")).isInstanceOf(MalformedEntryException.class);
    }
}
