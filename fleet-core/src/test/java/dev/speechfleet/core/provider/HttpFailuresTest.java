package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HttpFailuresTest {

    @Test
    void badRequestsArePermanent() {
        assertThat(HttpFailures.classify(400)).isEqualTo(FailureKind.PERMANENT);
        assertThat(HttpFailures.classify(413)).isEqualTo(FailureKind.PERMANENT);
    }

    @Test
    void authPaymentAndPermissionMakeTheProviderUnavailable() {
        assertThat(HttpFailures.classify(401)).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(HttpFailures.classify(402)).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(HttpFailures.classify(403)).isEqualTo(FailureKind.UNAVAILABLE);
    }

    @Test
    void throttlingTimeoutsAndServerErrorsAreRetryable() {
        assertThat(HttpFailures.classify(408)).isEqualTo(FailureKind.RETRYABLE);
        assertThat(HttpFailures.classify(429)).isEqualTo(FailureKind.RETRYABLE);
        assertThat(HttpFailures.classify(503)).isEqualTo(FailureKind.RETRYABLE);
    }

    @Test
    void retryAfterInSeconds() {
        assertThat(HttpFailures.retryAfter("7", Clock.systemUTC())).contains(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

        assertThat(HttpFailures.retryAfter("Sat, 21 Nov 2026 10:00:30 GMT", clock)).contains(Duration.ofSeconds(30));
    }

    @Test
    void unreadableRetryAfterIsIgnored() {
        assertThat(HttpFailures.retryAfter("soon", Clock.systemUTC())).isEmpty();
    }

    @Test
    void failureCarriesStatusBodyAndRetryAfter() {
        TranscriptionException e = HttpFailures.failure("deepgram", 429, "{\"err_code\":\"TOO_MANY_REQUESTS\"}", "2");

        assertThat(e.kind()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(e.getMessage()).contains("HTTP 429").contains("TOO_MANY_REQUESTS");
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }
}
