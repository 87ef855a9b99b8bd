package dev.speechfleet.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.ResultFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.tracing.EntryTracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Without an exporter configured, tracing is off: the SDK is disabled, nothing is recorded even with
 * a span exporter bean present, and no entry carries a traceparent.
 */
@QuarkusTest
@QuarkusTestResource(ParakeetMock.class)
class FleetTracingOffTest {

    @Inject
    EntryTracing tracing;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    RedisStreams redis;

    @TestHTTPResource("/")
    URL fleet;

    @Test
    void withoutAnExporterNothingIsTracedAndNoEntryCarriesATraceparent() throws Exception {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();

        DeviceReport report = TestDevice.streamSample(fleet, "untraced-1");

        assertThat(report.results()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.message()).isInstanceOf(ServerMessage.Transcript.class));
        assertThat(tracing.startRoot("probe", SpanKind.INTERNAL).getSpanContext().isValid())
                .as("the fleet's spans come from OpenTelemetry's no-op").isFalse();
        assertThat(spans.getFinishedSpanItems()).isEmpty();
        assertThat(redis.range(StreamKeys.sessionResults(report.sessionId()), "-", "+", 100)).isNotEmpty()
                .allSatisfy(e -> assertThat(e.fields().string(ResultFields.TRACEPARENT)).isNull());
    }
}
