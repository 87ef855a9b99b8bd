package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.stream.FailureKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderCallExceptionTest {

    @Test
    void paymentRequiredIsARefusal() {
        ProviderCallException e = ProviderCallException.fromHttp("deepgram", 402, "{\"err_code\":\"ASR_PAYMENT_REQUIRED\"}", null);

        assertThat(e).isInstanceOf(ProviderCallException.Refused.class);
        assertThat(e.toTranscriptionException().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 402").contains("ASR_PAYMENT_REQUIRED");
    }

    @Test
    void serverErrorIsAnOutageCarryingRetryAfter() {
        ProviderCallException e = ProviderCallException.fromHttp("deepgram", 503, "", "7");

        assertThat(e).isInstanceOf(ProviderCallException.Outage.class);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.toTranscriptionException().retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void throttlingIsRetryableButNotAnOutage() {
        ProviderCallException e = ProviderCallException.fromHttp("deepgram", 429, "{}", "2");

        assertThat(e).isNotInstanceOf(ProviderCallException.Outage.class);
        assertThat(e.kind()).isEqualTo(FailureKind.RETRYABLE);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(2));
    }

    @Test
    void badRequestIsPermanentAndNeitherRefusalNorOutage() {
        ProviderCallException e = ProviderCallException.fromHttp("deepgram", 400, "corrupt or unsupported data", null);

        assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(e).isNotInstanceOfAny(ProviderCallException.Refused.class, ProviderCallException.Outage.class);
    }

    @Test
    void providerDecidedKindOverridesTheStatus() {
        ProviderCallException e = ProviderCallException.fromHttp(FailureKind.UNAVAILABLE, "assemblyai", 400,
                "{\"error\":\"Your current account balance is negative.\"}", null);

        assertThat(e).isInstanceOf(ProviderCallException.Refused.class);
    }
}
