package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.FailureKind;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.ws.rs.ProcessingException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The fault-tolerance guard every HTTP call of a cloud provider goes through (ADR 0021, 0027), one per
 * provider, built with SmallRye Fault Tolerance's programmatic API, so that all of a provider's
 * endpoints share its two breakers:
 * <ul>
 *   <li>{@code <provider>-outage}, with the per-call timeout: opens when 3 of the last 4 calls failed
 *       with 5xx, 408, a timeout or no connection ({@link ProviderCallException.Outage}, FT's
 *       {@link TimeoutException}), for 30 s. Throttling and rejected requests do not count;</li>
 *   <li>{@code <provider>-refusal}: the first 401, 402, 403 or empty balance
 *       ({@link ProviderCallException.Refused}) opens it for 60 s; a bad key does not heal in seconds.</li>
 * </ul>
 * No retry: the worker retries, with jitter and {@code Retry-After}. Failures leave in the worker's
 * terms ({@link TranscriptionException}): an open breaker is {@code UNAVAILABLE} (re-routed without
 * calling the provider), a timeout {@code RETRYABLE}, an HTTP error as {@link ProviderCallException}
 * classified it. The breakers are named, so {@link CircuitBreakerMaintenance} reports and resets them.
 */
public final class ProviderGuard {

    private static final int OUTAGE_WINDOW = 4;
    private static final double OUTAGE_RATIO = 0.75;
    private static final Duration OUTAGE_OPEN = Duration.ofSeconds(30);
    private static final Duration REFUSAL_OPEN = Duration.ofSeconds(60);

    private final String provider;
    private final Duration callTimeout;
    /** Built on first use, inside the running application (the breakers register there by name). */
    private volatile Breakers breakers;

    /** The two guards, the outage one around the refusal one. */
    private record Breakers(TypedGuard<Object> outage, TypedGuard<Object> refusal) {
    }

    private ProviderGuard(String provider, Duration callTimeout) {
        this.provider = provider;
        this.callTimeout = callTimeout;
    }

    /**
     * The guard of {@code provider}: make one per process (the breakers' names must be unique), in the
     * provider's bean.
     *
     * @param callTimeout bound on each call ({@code fleet.providers.call-timeout})
     */
    public static ProviderGuard create(String provider, Duration callTimeout) {
        return new ProviderGuard(provider, callTimeout);
    }

    /** Name of the provider's outage breaker. */
    public static String outageBreaker(String provider) {
        return provider + "-outage";
    }

    /** Name of the provider's refusal breaker. */
    public static String refusalBreaker(String provider) {
        return provider + "-refusal";
    }

    /**
     * Makes one call through both breakers. A call that cannot reach the provider (a
     * {@link ProcessingException} of the REST client: no connection, read timeout) is an outage.
     */
    @SuppressWarnings("unchecked")
    public <T> T call(Supplier<T> request) throws TranscriptionException {
        try {
            Breakers guards = breakers();
            return (T) guards.outage().get(() -> throughRefusalBreaker(guards.refusal(), request));
        } catch (ProviderCallException e) {
            throw e.toTranscriptionException();
        } catch (CircuitBreakerOpenException e) {
            throw new TranscriptionException(FailureKind.UNAVAILABLE,
                    provider + " circuit breaker is open; not calling " + provider, null, e);
        } catch (TimeoutException e) {
            throw new TranscriptionException(FailureKind.RETRYABLE, provider + " did not answer in time", null, e);
        }
    }

    /** What the router sees: open if either breaker is open, half-open if either is trying. */
    public CircuitState circuitState() {
        breakers();
        CircuitBreakerMaintenance maintenance = CircuitBreakerMaintenance.get();
        return CircuitStates.worst(CircuitState.valueOf(maintenance.currentState(outageBreaker(provider)).name()),
                CircuitState.valueOf(maintenance.currentState(refusalBreaker(provider)).name()));
    }

    private Object throughRefusalBreaker(TypedGuard<Object> refusal, Supplier<?> request) {
        try {
            return refusal.get(request::get);
        } catch (ProcessingException e) {
            throw ProviderCallException.unreachable(provider, e);
        }
    }

    private Breakers breakers() {
        Breakers built = breakers;
        if (built == null) {
            synchronized (this) {
                built = breakers;
                if (built == null) {
                    built = build();
                    breakers = built;
                }
            }
        }
        return built;
    }

    private Breakers build() {
        TypedGuard<Object> outage = TypedGuard.create(Object.class)
                .withTimeout().duration(callTimeout.toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name(outageBreaker(provider)).requestVolumeThreshold(OUTAGE_WINDOW)
                .failureRatio(OUTAGE_RATIO).delay(OUTAGE_OPEN.toMillis(), ChronoUnit.MILLIS)
                .failOn(List.of(ProviderCallException.Outage.class, TimeoutException.class)).done()
                .build();
        TypedGuard<Object> refusal = TypedGuard.create(Object.class)
                .withCircuitBreaker().name(refusalBreaker(provider)).requestVolumeThreshold(1).failureRatio(1.0)
                .delay(REFUSAL_OPEN.toMillis(), ChronoUnit.MILLIS).failOn(ProviderCallException.Refused.class).done()
                .build();
        return new Breakers(outage, refusal);
    }
}
