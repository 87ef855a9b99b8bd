package dev.speechfleet.router.delivery;

import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;

/**
 * What result delivery reports as a result leaves for the device: {@code router.end_to_end}, from the
 * moment the router dispatched the utterance (its entry's {@code enqueued_at}, carried into the result
 * as {@code produced_at - latency_ms}) to now; and the last span of the utterance's trace, a child of
 * the result's traceparent (the aggregator's span), ADR 0075.
 */
@ApplicationScoped
public class DeliveryTelemetry {

    private final Timer endToEnd;
    private final EntryTracing tracing;
    private final Clock clock;

    @Inject
    DeliveryTelemetry(MeterRegistry meters, EntryTracing tracing) {
        this(meters, tracing, Clock.systemUTC());
    }

    DeliveryTelemetry(MeterRegistry meters, EntryTracing tracing, Clock clock) {
        this.tracing = tracing;
        this.clock = clock;
        this.endToEnd = Timer.builder("router.end_to_end")
                .description("From the end of an utterance (its dispatch) to its result sent on the device's socket")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(meters);
    }

    /** A result leaves for the device now (it is queued on the socket, which never blocks). */
    public void sending(TranscriptResult result) {
        Span span = tracing.startChild("send transcript", SpanKind.CONSUMER, result.traceparent());
        span.setAttribute("fleet.chunk_id", result.chunkId());
        span.setAttribute("fleet.seq", result.seq());
        span.setAttribute("fleet.ok", result.ok());
        span.end();
        if (result.producedAtMillis() > 0) { // a result whose writer did not say when has nothing to measure from
            long dispatchedAt = result.producedAtMillis() - result.latencyMs();
            endToEnd.record(Duration.ofMillis(Math.max(0, clock.millis() - dispatchedAt)));
        }
    }
}
