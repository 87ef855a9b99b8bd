package dev.speechfleet.core.tracing;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is off unless an exporter is configured (ADR 0075): every service's OpenTelemetry SDK is
 * disabled ({@code quarkus.otel.sdk.disabled=true}, a no-op tracer, nothing recorded) until
 * {@code quarkus.otel.exporter.otlp.endpoint} or {@code quarkus.otel.exporter.otlp.traces.endpoint}
 * is set, for example as {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT}. The Redis client's own spans stay
 * off: a blocking read every poll would bury the fleet's spans.
 *
 * <p>Its ordinal sits below {@code application.properties}: any explicit setting of these keys wins.
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final String REDIS_CLIENT_SPANS = "quarkus.otel.instrument.vertx-redis-client";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    static final int ORDINAL = 240;
    /** The lowest ordinal of a source someone configures ({@code microprofile-config.properties}). */
    private static final int CONFIGURED = 100;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean exporter = ENDPOINTS.stream().map(context::getValue).anyMatch(TracingConfigSourceFactory::isSet);
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, Boolean.toString(!exporter),
                REDIS_CLIENT_SPANS, "false"), "fleet-tracing-defaults", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /**
     * Set by someone: the extension's own default endpoint ({@code localhost:4317}, a defaults source
     * of the lowest ordinals) does not count as configured.
     */
    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getSourceOrdinal() >= CONFIGURED;
    }
}
