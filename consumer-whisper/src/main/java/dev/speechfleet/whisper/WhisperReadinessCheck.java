package dev.speechfleet.whisper;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the Whisper model is loaded; never triggers loading itself. */
@Readiness
@ApplicationScoped
public class WhisperReadinessCheck implements HealthCheck {

    private final WhisperRuntime runtime;

    WhisperReadinessCheck(WhisperRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        if (!runtime.served()) {
            return HealthCheckResponse.named("whisper-model").up().withData("served", false).build();
        }
        if (!runtime.isLoaded()) {
            return HealthCheckResponse.named("whisper-model").down().build();
        }
        var engine = runtime.engine();
        return HealthCheckResponse.named("whisper-model").up().withData("model", engine.modelName())
                .withData("states", engine.stateCount())
                .withData("threads_per_state", engine.decoding().threadsPerState()).build();
    }
}
