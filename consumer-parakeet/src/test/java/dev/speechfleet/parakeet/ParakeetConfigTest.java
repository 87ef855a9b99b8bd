package dev.speechfleet.parakeet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.testing.FleetConfigs;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParakeetConfigTest {

    @Test
    void providerRefusesToStartWithoutBaseUrlNamingTheVariable() {
        ParakeetConfig config = configFrom(Map.of());

        assertThatThrownBy(() -> new ParakeetProvider(config, null, FleetConfigs.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("PARAKEET_BASE_URL").hasMessageContaining("parakeet.base-url");
    }

    @Test
    void environmentVariablesSetUrlAndOptionalKeyAndPriceDefaultsToZero() {
        ParakeetConfig config = configFrom(Map.of("PARAKEET_BASE_URL", "http://127.0.0.1:9000"));

        assertThat(config.baseUrl()).contains("http://127.0.0.1:9000");
        assertThat(config.apiKey()).isEmpty();
        assertThat(config.pricePerMinuteUsd()).isZero();
        assertThat(new ParakeetProvider(config, null, FleetConfigs.defaults()).pricePerMinuteUsd()).isZero();
    }

    private static ParakeetConfig configFrom(Map<String, String> environment) {
        return new SmallRyeConfigBuilder().withMapping(ParakeetConfig.class)
                .withSources(new EnvConfigSource(environment, 300)).build().getConfigMapping(ParakeetConfig.class);
    }
}
