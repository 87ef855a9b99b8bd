package dev.speechfleet.parakeet;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.CircuitStates;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.FailureKind;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/** Calls {@code /v1/audio/transcriptions} through the fault-tolerance policy; failures in the worker's terms. */
@ApplicationScoped
class ParakeetClient {

    private final ParakeetApi api;
    private final ParakeetFaultTolerance faultTolerance;
    private final CircuitBreakerMaintenance breakers;
    private final ParakeetConfig config;

    ParakeetClient(@RestClient ParakeetApi api, ParakeetFaultTolerance faultTolerance,
            CircuitBreakerMaintenance breakers, ParakeetConfig config) {
        this.api = api;
        this.faultTolerance = faultTolerance;
        this.breakers = breakers;
        this.config = config;
    }

    /** {@code language}: a language of {@code parakeet.languages} (a NIM answers 400 without language or model). */
    TranscriptionResponse transcribe(byte[] wav, String language) throws TranscriptionException {
        String authorization = config.apiKey().filter(key -> !key.isBlank()).map(key -> "Bearer " + key.strip())
                .orElse(null);
        try {
            return faultTolerance.call(() -> api.transcribe(authorization, form(wav, language)));
        } catch (ProviderCallException e) {
            throw e.toTranscriptionException();
        } catch (CircuitBreakerOpenException e) {
            throw new TranscriptionException(FailureKind.UNAVAILABLE,
                    "parakeet circuit breaker is open; not calling Parakeet", null, e);
        } catch (TimeoutException e) {
            throw new TranscriptionException(FailureKind.RETRYABLE, "parakeet did not answer in time", null, e);
        }
    }

    /** A fresh form per call: a multipart body is consumed when sent. */
    private ClientMultipartForm form(byte[] wav, String language) {
        ClientMultipartForm form = ClientMultipartForm.create()
                .binaryFileUpload("file", "chunk.wav", Buffer.buffer(wav), "audio/wav")
                .attribute("language", language, null)
                .attribute("response_format", "json", null);
        config.model().filter(model -> !model.isBlank()).ifPresent(model -> form.attribute("model", model, null));
        return form;
    }

    /** What the router sees: both breakers combined. */
    CircuitState circuitState() {
        return CircuitStates.worst(state(ParakeetFaultTolerance.OUTAGE_BREAKER),
                state(ParakeetRefusalBreaker.REFUSAL_BREAKER));
    }

    private CircuitState state(String breaker) {
        return CircuitState.valueOf(breakers.currentState(breaker).name());
    }
}
