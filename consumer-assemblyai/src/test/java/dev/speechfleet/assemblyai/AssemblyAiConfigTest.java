package dev.speechfleet.assemblyai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.provider.ProviderCapabilities;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AssemblyAiConfigTest {

    @Test
    void providerRefusesToStartWithoutApiKeyNamingTheVariable() {
        AssemblyAiConfig config = configFrom(Map.of());

        assertThatThrownBy(() -> new AssemblyAiProvider(config, null, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ASSEMBLYAI_API_KEY").hasMessageContaining("assemblyai.api-key");
    }

    @Test
    void environmentVariableSetsTheKeyAndDefaultsFollowTheContract() {
        AssemblyAiConfig config = configFrom(Map.of("ASSEMBLYAI_API_KEY", "k-123"));

        assertThat(config.apiKey()).contains("k-123");
        assertThat(config.speechModels()).isEqualTo(List.of("universal-2"));
        assertThat(new AssemblyAiProvider(config, null, null, null).pricePerMinuteUsd()).isEqualTo(0.0025);
    }

    @Test
    void theSpeechModelsDecideTheLanguagesAndAnyWavRateIsTaken() {
        AssemblyAiConfig universal2 = configFrom(Map.of("ASSEMBLYAI_API_KEY", "k"));
        AssemblyAiConfig pro = configFrom(Map.of("ASSEMBLYAI_API_KEY", "k",
                "ASSEMBLYAI_SPEECH_MODELS", "universal-3-5-pro"));

        ProviderCapabilities wide = new AssemblyAiProvider(universal2, null, null, null).capabilities();
        ProviderCapabilities narrow = new AssemblyAiProvider(pro, null, null, null).capabilities();

        assertThat(wide.serves("sw", 8000)).isTrue();
        assertThat(narrow.serves("sw", 16000)).isFalse();
        assertThat(narrow.serves("ja", 16000)).isTrue();
        assertThat(universal2.firstPollDelay()).isEqualTo(Duration.ofMillis(300));
        assertThat(universal2.submitLookupLimit()).isEqualTo(200);
        assertThat(universal2.deleteAfterRead()).isFalse();
    }

    @Test
    void aSpeechModelWithoutADocumentedListNeedsItsLanguagesConfigured() {
        AssemblyAiConfig config = configFrom(Map.of("ASSEMBLYAI_API_KEY", "k", "ASSEMBLYAI_SPEECH_MODELS", "slam-2"));

        assertThatThrownBy(() -> new AssemblyAiProvider(config, null, null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("assemblyai.languages");
    }

    private static AssemblyAiConfig configFrom(Map<String, String> environment) {
        // Quarkus' own converter, so that "90s" reads as it does in the service.
        return new SmallRyeConfigBuilder().withMapping(AssemblyAiConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new EnvConfigSource(environment, 300)).build().getConfigMapping(AssemblyAiConfig.class);
    }
}
