package dev.speechfleet.assemblyai;

import dev.speechfleet.core.provider.ProviderCallException;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The outage policy around every AssemblyAI call (upload, submit, poll, lookup): a per-call timeout
 * and a breaker that opens when most recent calls failed with 5xx, 408, timeouts or connection errors.
 * No {@code @Retry}: the worker retries with jitter and Retry-After (ADR 0021). Refusals go through
 * {@link AssemblyAiRefusalBreaker}.
 */
@ApplicationScoped
class AssemblyAiFaultTolerance {

    static final String OUTAGE_BREAKER = "assemblyai-outage";

    private final AssemblyAiRefusalBreaker refusals;

    AssemblyAiFaultTolerance(AssemblyAiRefusalBreaker refusals) {
        this.refusals = refusals;
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
            failOn = {ProviderCallException.Outage.class, TimeoutException.class})
    @CircuitBreakerName(OUTAGE_BREAKER)
    <T> T call(Supplier<T> request) {
        try {
            return refusals.call(request);
        } catch (ProcessingException e) {
            throw ProviderCallException.unreachable(AssemblyAiProvider.NAME, e);
        }
    }
}
