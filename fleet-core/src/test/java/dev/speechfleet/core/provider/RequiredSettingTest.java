package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequiredSettingTest {

    @Test
    void missingValueNamesTheEnvironmentVariableAndTheProperty() {
        assertThatThrownBy(() -> RequiredSetting.require(Optional.empty(), "deepgram.api-key", "DEEPGRAM_API_KEY"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DEEPGRAM_API_KEY").hasMessageContaining("deepgram.api-key");
    }

    @Test
    void blankValueCountsAsMissing() {
        assertThatThrownBy(() -> RequiredSetting.require(Optional.of("  "), "parakeet.base-url", "PARAKEET_BASE_URL"))
                .hasMessageContaining("PARAKEET_BASE_URL");
    }

    @Test
    void presentValueIsReturnedStripped() {
        assertThat(RequiredSetting.require(Optional.of(" key "), "p", "E")).isEqualTo("key");
    }
}
