package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.CircuitStates;
import dev.speechfleet.core.provider.ProviderCallException;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.stream.FailureKind;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The four AssemblyAI calls, each through the fault-tolerance policy, failures in the worker's terms. */
@ApplicationScoped
class AssemblyAiClient {

    private static final int NOT_FOUND = 404;

    private final AssemblyAiApi api;
    private final AssemblyAiFaultTolerance faultTolerance;
    private final CircuitBreakerMaintenance breakers;

    AssemblyAiClient(@RestClient AssemblyAiApi api, AssemblyAiFaultTolerance faultTolerance,
            CircuitBreakerMaintenance breakers) {
        this.api = api;
        this.faultTolerance = faultTolerance;
        this.breakers = breakers;
    }

    /** {@code POST /v2/upload}: the URL AssemblyAI keeps the audio under. */
    String upload(String apiKey, byte[] wav) throws TranscriptionException {
        UploadResponse response = call(() -> api.upload(apiKey, wav));
        if (response == null || response.uploadUrl() == null || response.uploadUrl().isBlank()) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "upload without upload_url")
                    .toTranscriptionException();
        }
        return response.uploadUrl();
    }

    /** {@code POST /v2/transcript}: the new transcript's id. */
    String submit(String apiKey, TranscriptRequest request) throws TranscriptionException {
        TranscriptResponse response = call(() -> api.submit(apiKey, request));
        if (response == null || response.id() == null || response.id().isBlank()) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "transcript without id")
                    .toTranscriptionException();
        }
        return response.id();
    }

    /** {@code GET /v2/transcript/{id}}; empty when AssemblyAI has no such transcript (404). */
    Optional<TranscriptResponse> get(String apiKey, String transcriptId) throws TranscriptionException {
        TranscriptResponse response;
        try {
            response = call(() -> api.get(apiKey, transcriptId));
        } catch (TranscriptionException e) {
            if (e.getCause() instanceof ProviderCallException http && http.status() == NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (response == null || response.status() == null) {
            throw ProviderCallException.badReply(AssemblyAiProvider.NAME, "transcript without status")
                    .toTranscriptionException();
        }
        return Optional.of(response);
    }

    /** The id of a recent transcript made from {@code audioUrl}, if AssemblyAI has one. */
    Optional<String> findByAudioUrl(String apiKey, String audioUrl, int limit) throws TranscriptionException {
        TranscriptPage page = call(() -> api.list(apiKey, limit));
        if (page == null || page.transcripts() == null) {
            return Optional.empty();
        }
        return page.transcripts().stream().filter(t -> audioUrl.equals(t.audioUrl())).map(TranscriptPage.Item::id)
                .findFirst();
    }

    /** What the router sees: both breakers combined. */
    CircuitState circuitState() {
        return CircuitStates.worst(state(AssemblyAiFaultTolerance.OUTAGE_BREAKER),
                state(AssemblyAiRefusalBreaker.REFUSAL_BREAKER));
    }

    private <T> T call(Supplier<T> request) throws TranscriptionException {
        try {
            return faultTolerance.call(request);
        } catch (ProviderCallException e) {
            throw e.toTranscriptionException();
        } catch (CircuitBreakerOpenException e) {
            throw new TranscriptionException(FailureKind.UNAVAILABLE,
                    "assemblyai circuit breaker is open; not calling AssemblyAI", null, e);
        } catch (TimeoutException e) {
            throw new TranscriptionException(FailureKind.RETRYABLE, "assemblyai did not answer in time", null, e);
        }
    }

    private CircuitState state(String breaker) {
        return CircuitState.valueOf(breakers.currentState(breaker).name());
    }
}
