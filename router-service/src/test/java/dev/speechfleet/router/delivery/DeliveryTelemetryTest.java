package dev.speechfleet.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** End-to-end latency runs from the utterance's dispatch to the moment its result leaves for the socket. */
class DeliveryTelemetryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final DeliveryTelemetry telemetry = new DeliveryTelemetry(meters, EntryTracing.off(),
            Clock.fixed(Instant.ofEpochMilli(11_500), ZoneOffset.UTC));

    @Test
    void theLatencyIsFromTheDispatchToNow() {
        // Dispatched at 8 000 (produced at 10 000, 2 000 ms after the router's enqueue), sent at 11 500.
        telemetry.sending(result(0, 10_000, 2_000));

        Timer endToEnd = meters.get("router.end_to_end").timer();
        assertThat(endToEnd.count()).isEqualTo(1);
        assertThat(endToEnd.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_500);
    }

    @Test
    void everyResultTheOutboxSendsIsMeasuredOnceInSeqOrder() {
        ResultOutbox outbox = new ResultOutbox(0, 0, 1000, telemetry::sending);

        assertThat(outbox.offer("2-0", result(1, 10_000, 1_000), 0)).as("held for seq 0").isEmpty();
        assertThat(outbox.offer("1-0", result(0, 10_000, 1_000), 0)).hasSize(2);
        assertThat(outbox.offer("1-0", result(0, 10_000, 1_000), 0)).as("a duplicate").isEmpty();

        assertThat(meters.get("router.end_to_end").timer().count()).isEqualTo(2);
    }

    private static TranscriptResult result(long seq, long producedAt, long latencyMs) {
        return TranscriptResult.builder().chunkId("s1:" + seq).sessionId("s1").seq(seq).transcript("hello", 0.9)
                .providers("deepgram", List.of("deepgram")).latencyMs(latencyMs).producedAtMillis(producedAt).build();
    }
}
