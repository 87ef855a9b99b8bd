package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelLanguagesTest {

    @Test
    void assemblyAiServesTheUnionOfItsSpeechModelsBecauseItFallsBackAlongTheList() {
        assertThat(ModelLanguages.assemblyAi(List.of("universal-3-5-pro")).orElseThrow()).hasSize(19)
                .doesNotContain("pl");
        assertThat(ModelLanguages.assemblyAi(List.of("universal-3-5-pro", "universal-2")).orElseThrow())
                .contains("pl", "he", "en-GB");
    }

    @Test
    void anUnknownModelHasNoDocumentedList() {
        assertThat(ModelLanguages.assemblyAi(List.of("universal-2", "best-ever"))).isEmpty();
        assertThat(ModelLanguages.deepgram("nova-2")).isEmpty();
        assertThat(ModelLanguages.deepgram("Nova-3")).contains(ModelLanguages.DEEPGRAM_NOVA_3);
    }

    @Test
    void whisperListsNinetyNineLanguagesPlusTheNorwegianAlias() {
        assertThat(ModelLanguages.WHISPER_MULTILINGUAL).hasSize(100).contains("jv", "haw", "nb").doesNotContain("jw");
    }
}
