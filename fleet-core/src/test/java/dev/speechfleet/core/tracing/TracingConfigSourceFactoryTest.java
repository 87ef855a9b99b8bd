package dev.speechfleet.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracing is on exactly when an OTLP endpoint is configured, unless the SDK switch is set explicitly. */
class TracingConfigSourceFactoryTest {

    @Test
    void withoutAnEndpointTheSdkIsDisabled() {
        SmallRyeConfig config = config(Map.of());
        assertThat(config.getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class)).isTrue();
        assertThat(config.getValue(TracingConfigSourceFactory.REDIS_CLIENT_SPANS, Boolean.class)).isFalse();
    }

    @Test
    void theExtensionsDefaultEndpointDoesNotCountAsConfigured() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("quarkus.otel.exporter.otlp.endpoint",
                        "http://localhost:4317/"), "extension defaults", Integer.MIN_VALUE))
                .withSources(new TracingConfigSourceFactory()).build();
        assertThat(config.getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class)).isTrue();
    }

    @Test
    void anOtlpEndpointEnablesIt() {
        assertThat(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))
                .getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class)).isFalse();
        assertThat(config(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318/v1/traces"))
                .getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class)).isFalse();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(config(Map.of("quarkus.otel.sdk.disabled", "false"))
                .getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class)).isFalse();
        assertThat(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317",
                "quarkus.otel.sdk.disabled", "true")).getValue(TracingConfigSourceFactory.SDK_DISABLED, Boolean.class))
                .isTrue();
    }

    private static SmallRyeConfig config(Map<String, String> applicationProperties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(applicationProperties, "application.properties", 250))
                .withSources(new TracingConfigSourceFactory()).build();
    }
}
