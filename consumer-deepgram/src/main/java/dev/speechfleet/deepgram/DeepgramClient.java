package dev.speechfleet.deepgram;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.CircuitStates;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.FailureKind;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Calls {@code /v1/listen} through the fault-tolerance policy and turns every failure into the worker's terms. */
@ApplicationScoped
class DeepgramClient {

    private final DeepgramApi api;
    private final DeepgramFaultTolerance faultTolerance;
    private final CircuitBreakerMaintenance breakers;
    private final DeepgramConfig config;

    DeepgramClient(@RestClient DeepgramApi api, DeepgramFaultTolerance faultTolerance,
            CircuitBreakerMaintenance breakers, DeepgramConfig config) {
        this.api = api;
        this.faultTolerance = faultTolerance;
        this.breakers = breakers;
        this.config = config;
    }

    /**
     * {@code POST /v1/listen} of one WAV.
     *
     * @param language a language the model lists
     * @param keyterms sent as repeated {@code keyterm} parameters; empty for none
     */
    ListenResponse listen(byte[] wav, String language, List<String> keyterms, String apiKey)
            throws TranscriptionException {
        String authorization = "Token " + apiKey;
        List<String> keytermParams = keyterms.isEmpty() ? null : keyterms;
        Boolean optOut = config.mipOptOut() ? Boolean.TRUE : null;
        try {
            return faultTolerance.call(() -> api.listen(authorization, config.model(), language,
                    config.smartFormat(), config.punctuate(), keytermParams, optOut, wav));
        } catch (ProviderCallException e) {
            throw e.toTranscriptionException();
        } catch (CircuitBreakerOpenException e) {
            throw new TranscriptionException(FailureKind.UNAVAILABLE,
                    "deepgram circuit breaker is open; not calling Deepgram", null, e);
        } catch (TimeoutException e) {
            throw new TranscriptionException(FailureKind.RETRYABLE, "deepgram did not answer in time", null, e);
        }
    }

    /** What the router sees: both breakers combined. */
    CircuitState circuitState() {
        return CircuitStates.worst(state(DeepgramFaultTolerance.OUTAGE_BREAKER),
                state(DeepgramRefusalBreaker.REFUSAL_BREAKER));
    }

    private CircuitState state(String breaker) {
        return CircuitState.valueOf(breakers.currentState(breaker).name());
    }
}
