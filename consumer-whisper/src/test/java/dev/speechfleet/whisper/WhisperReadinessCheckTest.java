package dev.speechfleet.whisper;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class WhisperReadinessCheckTest {

    @Test
    void notReadyBeforeTheModelIsLoaded() {
        WhisperReadinessCheck check = new WhisperReadinessCheck(new WhisperRuntime(null, null, dev.speechfleet.core.worker.ProviderSelection.all()));

        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }
}
