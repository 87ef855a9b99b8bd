package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The catalog's capabilities describe each consumer's default configuration, not "any language". */
class ProviderCatalogTest {

    @Test
    void whisperOfTheDefaultEnglishOnlyModelDoesNotServeGerman() {
        assertThat(ProviderCatalog.find("whisper").orElseThrow().supports("de")).isFalse();
        assertThat(ProviderCatalog.defaultCapabilities("whisper").serves("en-GB", 8000)).isTrue();
    }

    @Test
    void parakeetByDefaultServesEnglishAtSixteenKilohertzOnly() {
        ProviderCapabilities parakeet = ProviderCatalog.defaultCapabilities("parakeet");

        assertThat(parakeet.serves("en", 16000)).isTrue();
        assertThat(parakeet.serves("en", 8000)).isFalse();
        assertThat(parakeet.serves("fr", 16000)).isFalse();
    }

    @Test
    void deepgramNova3ServesItsDocumentedLanguagesAtAnyRate() {
        ProviderCapabilities deepgram = ProviderCatalog.defaultCapabilities("deepgram");

        assertThat(deepgram.resolve("pt-BR")).contains("pt-BR");
        assertThat(deepgram.resolve("en-CA")).as("an unlisted region falls back to its language").contains("en");
        assertThat(deepgram.serves("de", 8000)).isTrue();
        assertThat(deepgram.serves("sw", 16000)).as("Swahili is not a Nova-3 language").isFalse();
    }

    @Test
    void assemblyAiUniversal2ServesItsNinetyNineLanguagesButNotAnUnlistedOne() {
        ProviderCapabilities assemblyAi = ProviderCatalog.defaultCapabilities("assemblyai");

        assertThat(assemblyAi.serves("sw", 16000)).isTrue();
        assertThat(assemblyAi.serves("en-GB", 8000)).isTrue();
        assertThat(assemblyAi.serves("ak", 16000)).as("Akan is not an AssemblyAI language").isFalse();
    }

    @Test
    void aProviderTheCatalogDoesNotKnowIsNotRestricted() {
        assertThat(ProviderCatalog.defaultCapabilities("custom-asr")).isEqualTo(ProviderCapabilities.UNRESTRICTED);
    }
}
