package dev.speechfleet.core.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Traces that travel in stream entries (ADR 0075): every entry of the fleet's streams carries a W3C
 * {@code traceparent} field, and each hop starts its span as a child of the entry it handles and
 * writes its own span's context into the entry it writes. One trace runs from the router's dispatch
 * of an utterance through the provider call and the aggregator to the transcript on the socket.
 *
 * <p>With tracing off (OpenTelemetry's no-op, the default), a span started under a traceparent is that
 * traceparent again and one started without is invalid: entries keep what they carried, or nothing.
 */
public final class EntryTracing {

    /** The instrumentation scope of the fleet's own spans. */
    public static final String SCOPE = "dev.speechfleet";
    private static final String FIELD = "traceparent";
    private static final EntryTracing OFF = new EntryTracing(OpenTelemetry.noop());
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(FIELD);
        }

        @Override
        public String get(String carrier, String key) {
            return FIELD.equals(key) ? carrier : null;
        }
    };

    private final Tracer tracer;

    public EntryTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** No spans: entries keep the traceparent they carry. */
    public static EntryTracing off() {
        return OFF;
    }

    /** A span that starts a trace (the router's dispatch of an utterance). */
    public Span startRoot(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind).setNoParent().startSpan();
    }

    /**
     * A span whose parent is {@code traceparent} (a W3C header value); a root span when it is
     * missing or unreadable, so that a bad field costs the link, never the work.
     */
    public Span startChild(String name, SpanKind kind, String traceparent) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        Context parent = parent(traceparent);
        if (Span.fromContext(parent).getSpanContext().isValid()) {
            builder.setParent(parent);
        } else {
            builder.setNoParent();
        }
        return builder.startSpan();
    }

    /** The W3C traceparent of {@code span}, or {@code fallback} when it is not a valid span (tracing off). */
    public static String traceparent(Span span, String fallback) {
        if (!span.getSpanContext().isValid()) {
            return fallback;
        }
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
        return carrier.getOrDefault(FIELD, fallback);
    }

    private static Context parent(String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    }
}
