package dev.speechfleet.deepgram;

import dev.speechfleet.core.provider.ProviderCallException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * Opens on the first refusal (401, 402, 403): a bad key or an empty balance does not heal in seconds,
 * so later chunks are re-routed without calling Deepgram until a trial call after the delay succeeds.
 */
@ApplicationScoped
class DeepgramRefusalBreaker {

    static final String REFUSAL_BREAKER = "deepgram-refusal";

    @CircuitBreaker(requestVolumeThreshold = 1, failureRatio = 1.0, delay = 60, delayUnit = ChronoUnit.SECONDS,
            failOn = ProviderCallException.Refused.class)
    @CircuitBreakerName(REFUSAL_BREAKER)
    <T> T call(Supplier<T> request) {
        return request.get();
    }
}
