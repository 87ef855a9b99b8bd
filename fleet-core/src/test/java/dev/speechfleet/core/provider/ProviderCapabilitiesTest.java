package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderCapabilitiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBareLanguageServesItsRegionsButARegionServesOnlyItself() {
        ProviderCapabilities caps = new ProviderCapabilities(Set.of("en", "pt-BR"), Set.of(16000));

        assertThat(caps.resolve("en-GB")).contains("en");
        assertThat(caps.resolve("EN_gb")).contains("en");
        assertThat(caps.resolve("pt-br")).contains("pt-BR");
        assertThat(caps.resolve("pt")).isEmpty();
        assertThat(caps.resolve("pt-PT")).isEmpty();
        assertThat(caps.resolve("")).isEmpty();
    }

    @Test
    void sampleRatesAreListedOrAny() {
        assertThat(new ProviderCapabilities(Set.of("en"), Set.of(16000)).serves("en", 8000)).isFalse();
        assertThat(new ProviderCapabilities(Set.of("en"), ProviderCapabilities.ANY_SAMPLE_RATE).serves("en", 8000))
                .isTrue();
    }

    @Test
    void twoDeploymentsServeOnlyWhatBothServe() {
        ProviderCapabilities multilingual = new ProviderCapabilities(Set.of("en", "de", "fr"),
                ProviderCapabilities.ANY_SAMPLE_RATE);
        ProviderCapabilities british = new ProviderCapabilities(Set.of("en-GB", "de"), Set.of(8000, 16000));

        ProviderCapabilities both = multilingual.intersect(british);

        assertThat(both.serves("en-GB", 8000)).isTrue();
        assertThat(both.serves("de", 16000)).isTrue();
        assertThat(both.serves("en-US", 16000)).isFalse();
        assertThat(both.serves("fr", 16000)).isFalse();
        assertThat(both.serves("de", 22050)).isFalse();
        assertThat(ProviderCapabilities.UNRESTRICTED.intersect(british)).isEqualTo(british);
    }

    @Test
    void jsonRoundTripsWithAnyWrittenAsAStar() throws Exception {
        ProviderCapabilities caps = new ProviderCapabilities(Set.of("en", "de-CH"), ProviderCapabilities.ANY_SAMPLE_RATE);

        String json = caps.toJson();

        assertThat(json).isEqualTo("{\"languages\":[\"de-CH\",\"en\"],\"sample_rates\":[\"*\"]}");
        assertThat(ProviderCapabilities.readFrom(JSON.readTree(json))).contains(caps);
        assertThat(ProviderCapabilities.readFrom(JSON.readTree(ProviderCapabilities.UNRESTRICTED.toJson())))
                .contains(ProviderCapabilities.UNRESTRICTED);
    }

    @Test
    void aReportWithoutTheListsSaysNothingAndAGarbledOneIsRefused() throws Exception {
        assertThat(ProviderCapabilities.readFrom(JSON.readTree("{\"consumer\":\"c\"}"))).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> ProviderCapabilities.readFrom(JSON.readTree(
                "{\"languages\":[\"en\"],\"sample_rates\":[\"fast\"]}"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void healthReportsCarryCapabilitiesAndOldReportsStillRead() {
        ProviderCapabilities caps = new ProviderCapabilities(Set.of("en"), Set.of(8000, 16000));
        ProviderHealth health = new ProviderHealth("c-1", CircuitState.CLOSED, 300, 0.2, 4, 1000, Optional.of(caps));

        assertThat(ProviderHealth.fromJson(health.toJson())).isEqualTo(health);
        assertThat(ProviderHealth.fromJson("{\"consumer\":\"c-0\",\"circuit\":\"closed\",\"at\":5}").capabilities())
                .isEmpty();
    }
}
