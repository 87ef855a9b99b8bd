package dev.speechfleet.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services' {@link EntryTracing}: over Quarkus' OpenTelemetry when tracing is on, OpenTelemetry's
 * no-op when it is off. Quarkus' disabled SDK still creates span ids (it only exports nothing), which
 * would put a {@code traceparent} on every entry for nobody; the no-op creates nothing.
 */
@ApplicationScoped
public class EntryTracingProducer {

    @Produces
    @Singleton
    EntryTracing entryTracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = TracingConfigSourceFactory.SDK_DISABLED, defaultValue = "true") boolean disabled) {
        return disabled ? EntryTracing.off() : new EntryTracing(openTelemetry);
    }
}
