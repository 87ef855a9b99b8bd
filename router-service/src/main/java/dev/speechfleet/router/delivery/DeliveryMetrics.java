package dev.speechfleet.router.delivery;

import dev.speechfleet.core.stream.TranscriptResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * What result delivery measures: {@code router.end_to_end}, from the moment the router dispatched an
 * utterance (its entry's {@code enqueued_at}, carried into the result as {@code produced_at - latency_ms})
 * to the moment its result is queued on the device's socket.
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final Timer endToEnd;
    private final Clock clock;

    DeliveryMetrics(MeterRegistry meters) {
        this(meters, Clock.systemUTC());
    }

    DeliveryMetrics(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.endToEnd = Timer.builder("router.end_to_end")
                .description("From the end of an utterance (its dispatch) to its result sent on the device's socket")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(2)).register(meters);
    }

    /** A result leaves for the device now. */
    public void sending(TranscriptResult result) {
        if (result.producedAtMillis() <= 0) {
            return; // written by a writer that did not say when: nothing to measure from
        }
        long dispatchedAt = result.producedAtMillis() - result.latencyMs();
        endToEnd.record(Duration.ofMillis(Math.max(0, clock.millis() - dispatchedAt)));
    }
}
