package dev.speechfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With an exporter, one trace runs from a device's utterance to its transcript: the router's dispatch
 * starts it, the provider call is its child (through the audio entry's traceparent), the aggregator's
 * result write the provider call's (through the hypothesis'), and the router's sending of the
 * transcript the aggregator's (through the result's).
 */
@QuarkusTest
@TestProfile(FleetTracingTest.Traced.class)
@QuarkusTestResource(ParakeetMock.class)
class FleetTracingTest {

    /** Tracing on, exporting to {@link InMemorySpans} only, without delay. */
    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    private static final AttributeKey<String> SESSION = AttributeKey.stringKey("fleet.session_id");

    @Inject
    InMemorySpanExporter spans;

    @Inject
    RedisStreams redis;

    @TestHTTPResource("/")
    URL fleet;

    @Test
    void oneTraceRunsFromTheDevicesUtteranceThroughProviderAndAggregatorToTheTranscript() throws Exception {
        DeviceReport report = TestDevice.streamSample(fleet, "traced-1");
        assertThat(report.results()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.message()).isInstanceOf(ServerMessage.Transcript.class));
        int utterances = report.results().size();

        await().atMost(Duration.ofSeconds(10)).until(() -> dispatches(report.sessionId()).size() == utterances
                && count("send transcript") >= utterances);
        List<SpanData> all = spans.getFinishedSpanItems();
        for (SpanData dispatch : dispatches(report.sessionId())) {
            assertThat(dispatch.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(dispatch.getParentSpanContext().isValid()).as("the dispatch starts the trace").isFalse();
            SpanData call = childOf(all, dispatch, "transcribe parakeet");
            SpanData aggregate = childOf(all, call, "aggregate");
            SpanData send = childOf(all, aggregate, "send transcript");
            assertThat(List.of(call, aggregate, send)).extracting(SpanData::getTraceId)
                    .containsOnly(dispatch.getTraceId());
            assertThat(resultTraceparent(report.sessionId(), dispatch.getTraceId()))
                    .as("the result carries the aggregator's span to the router")
                    .isEqualTo("00-" + aggregate.getTraceId() + "-" + aggregate.getSpanId() + "-01");
        }
    }

    private List<SpanData> dispatches(String sessionId) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("dispatch utterance") && sessionId.equals(s.getAttributes().get(SESSION)))
                .toList();
    }

    private long count(String name) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).count();
    }

    private static SpanData childOf(List<SpanData> all, SpanData parent, String name) {
        List<SpanData> children = all.stream().filter(s -> s.getName().equals(name)
                && s.getTraceId().equals(parent.getTraceId()) && s.getParentSpanId().equals(parent.getSpanId()))
                .toList();
        assertThat(children).as("%s under %s of trace %s", name, parent.getName(), parent.getTraceId()).hasSize(1);
        return children.getFirst();
    }

    private String resultTraceparent(String sessionId, String traceId) {
        return redis.range(StreamKeys.sessionResults(sessionId), "-", "+", 100).stream()
                .map(e -> TranscriptResultCodec.decode(e.fields()).traceparent())
                .filter(tp -> tp != null && tp.contains(traceId)).findFirst().orElse(null);
    }
}
