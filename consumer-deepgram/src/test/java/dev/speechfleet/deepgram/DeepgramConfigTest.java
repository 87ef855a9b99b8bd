package dev.speechfleet.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.testing.FleetConfigs;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepgramConfigTest {

    @Test
    void providerRefusesToStartWithoutApiKeyNamingTheVariable() {
        DeepgramConfig config = configFrom(Map.of());

        assertThatThrownBy(() -> new DeepgramProvider(config, null, FleetConfigs.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DEEPGRAM_API_KEY").hasMessageContaining("deepgram.api-key");
    }

    @Test
    void environmentVariableSetsTheKeyAndDefaultsFollowTheContract() {
        DeepgramConfig config = configFrom(Map.of("DEEPGRAM_API_KEY", "k-123"));

        assertThat(config.apiKey()).contains("k-123");
        assertThat(config.model()).isEqualTo("nova-3");
        assertThat(config.pricePerMinuteUsd()).isEqualTo(0.0043);
        assertThat(new DeepgramProvider(config, null, FleetConfigs.defaults()).name()).isEqualTo("deepgram");
    }

    @Test
    void nova3ServesItsDocumentedLanguagesAtAnySampleRate() {
        DeepgramConfig config = configFrom(Map.of("DEEPGRAM_API_KEY", "k"));

        ProviderCapabilities capabilities = new DeepgramProvider(config, null, FleetConfigs.defaults()).capabilities();

        assertThat(capabilities).isEqualTo(new ProviderCapabilities(ModelLanguages.DEEPGRAM_NOVA_3,
                ProviderCapabilities.ANY_SAMPLE_RATE));
        assertThat(config.mipOptOut()).isFalse();
    }

    @Test
    void nova3MedicalServesEnglishOnly() {
        DeepgramConfig config = configFrom(Map.of("DEEPGRAM_API_KEY", "k", "DEEPGRAM_MODEL", "nova-3-medical"));

        ProviderCapabilities capabilities = new DeepgramProvider(config, null, FleetConfigs.defaults()).capabilities();

        assertThat(capabilities.serves("en-GB", 8000)).isTrue();
        assertThat(capabilities.serves("de", 16000)).isFalse();
    }

    @Test
    void aModelWithoutADocumentedListNeedsItsLanguagesConfigured() {
        DeepgramConfig config = configFrom(Map.of("DEEPGRAM_API_KEY", "k", "DEEPGRAM_MODEL", "nova-2"));

        assertThatThrownBy(() -> new DeepgramProvider(config, null, FleetConfigs.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("deepgram.languages");
    }

    private static DeepgramConfig configFrom(Map<String, String> environment) {
        return new SmallRyeConfigBuilder().withMapping(DeepgramConfig.class)
                .withSources(new EnvConfigSource(environment, 300)).build().getConfigMapping(DeepgramConfig.class);
    }
}
