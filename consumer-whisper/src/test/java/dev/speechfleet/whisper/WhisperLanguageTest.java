package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WhisperLanguageTest {

    @Test
    void aRegionalTagBecomesItsLanguage() {
        assertThat(WhisperLanguage.forChunk("de-AT", "en", true)).isEqualTo("de");
    }

    @Test
    void aChunkWithoutLanguageUsesTheDefault() {
        assertThat(WhisperLanguage.forChunk("", "fr", true)).isEqualTo("fr");
    }

    @Test
    void autoIsPassedOnForDetection() {
        assertThat(WhisperLanguage.forChunk("auto", "en", true)).isEqualTo("auto");
    }

    @Test
    void anEnglishOnlyModelRefusesOtherLanguages() {
        assertThatThrownBy(() -> WhisperLanguage.forChunk("de", "en", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("English only");
    }

    @Test
    void anEnglishOnlyModelTakesEnglishVariants() {
        assertThat(WhisperLanguage.forChunk("en-GB", "en", false)).isEqualTo("en");
    }

    @Test
    void bcp47TagsWhisperSpellsOtherwiseAreMappedBothWays() {
        assertThat(WhisperLanguage.forChunk("jv", "en", true)).isEqualTo("jw");
        assertThat(WhisperLanguage.forChunk("nb-NO", "en", true)).isEqualTo("no");
        assertThat(WhisperLanguage.bcp47("jw")).isEqualTo("jv");
        assertThat(WhisperLanguage.bcp47("de")).isEqualTo("de");
    }

    @Test
    void aMalformedTagIsRefused() {
        assertThatThrownBy(() -> WhisperLanguage.forChunk("english!", "en", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BCP-47");
    }
}
