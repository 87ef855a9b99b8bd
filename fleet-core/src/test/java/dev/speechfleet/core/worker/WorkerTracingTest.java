package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.RedisPerClass;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker's span is a child of its entry's traceparent, and what it writes carries the span on. */
class WorkerTracingTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String ROUTER_SPAN = "b7ad6b7169203331";

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private InMemorySpanExporter spans;
    private OpenTelemetrySdk openTelemetry;
    private StreamWorker worker;

    @BeforeEach
    void setUp() {
        streams = redis.streams();
        spans = InMemorySpanExporter.create();
        openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build();
    }

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.stop();
        }
        openTelemetry.close();
    }

    @Test
    void theProviderCallIsAChildOfTheEntryAndTheHypothesisCarriesIt() {
        start(new ScriptedProvider("alpha"));
        enqueue(Chunks.chunk("s1", 0, null)); // traceparent 00-<TRACE_ID>-<ROUTER_SPAN>-01

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.HYPOTHESES) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spans.getFinishedSpanItems().isEmpty());

        SpanData span = spans.getFinishedSpanItems().getFirst();
        assertThat(span.getName()).isEqualTo("transcribe alpha");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(ROUTER_SPAN);
        assertThat(hypothesis().traceparent()).isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
    }

    @Test
    void aReRoutedChunkCarriesTheFailedAttemptsSpan() {
        start(new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400 from alpha");
        }));
        enqueue(Chunks.chunk("s1", 0, List.of("beta")));

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.audioStream("beta")) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spans.getFinishedSpanItems().isEmpty());

        SpanData span = spans.getFinishedSpanItems().getFirst();
        AudioChunk rerouted = AudioChunkCodec.decode(
                streams.range(StreamKeys.audioStream("beta"), "-", "+", 1).getFirst().fields());
        assertThat(span.getAttributes().asMap().values()).contains("rerouted");
        assertThat(rerouted.traceparent()).isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
    }

    @Test
    void anEntryWithoutTraceparentStartsATraceOfItsOwn() {
        start(new ScriptedProvider("alpha"));
        enqueue(Chunks.chunk("s1", 0, null).toBuilder().traceparent(null).build());

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.HYPOTHESES) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> !spans.getFinishedSpanItems().isEmpty());

        SpanData span = spans.getFinishedSpanItems().getFirst();
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(hypothesis().traceparent()).contains(span.getTraceId());
    }

    private void start(ScriptedProvider provider) {
        worker = new StreamWorker(streams, provider, TestSettings.fast("w1"), new SimpleMeterRegistry(),
                TestSettings.everyProviderAccepted(streams), new EntryTracing(openTelemetry));
        worker.start();
    }

    private void enqueue(AudioChunk chunk) {
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(chunk));
    }

    private Hypothesis hypothesis() {
        return HypothesisCodec.decode(streams.range(StreamKeys.HYPOTHESES, "-", "+", 1).getFirst().fields());
    }
}
