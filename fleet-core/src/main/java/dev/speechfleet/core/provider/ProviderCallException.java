package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * A failed call to an HTTP provider, unchecked so that it passes through REST client proxies and
 * fault-tolerance interceptors. Its subclasses exist for circuit breakers, which select failures by
 * class: {@link Refused} (auth, payment, permission: the provider refuses all work until someone acts)
 * and {@link Outage} (5xx, 408, timeouts, unreachable). Throttling (429) and rejected requests are the
 * plain class: neither says the provider is down. {@link #toTranscriptionException()} gives the worker
 * its view.
 */
public class ProviderCallException extends RuntimeException {

    private static final int MAX_BODY_IN_MESSAGE = 300;

    /** {@link #status()} of a failure that is not an HTTP reply. */
    public static final int NO_STATUS = 0;

    private final FailureKind kind;
    private final int status;
    private final transient Duration retryAfter;

    protected ProviderCallException(FailureKind kind, int status, String message, Duration retryAfter,
            Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The provider refuses all work (401, 402, 403, negative balance): re-route at once, open the breaker. */
    public static final class Refused extends ProviderCallException {
        Refused(int status, String message) {
            super(FailureKind.UNAVAILABLE, status, message, null, null);
        }
    }

    /** The provider is failing or unreachable (5xx, 408, timeout, connection): retry, counts towards an outage. */
    public static final class Outage extends ProviderCallException {
        Outage(int status, String message, Duration retryAfter, Throwable cause) {
            super(FailureKind.RETRYABLE, status, message, retryAfter, cause);
        }
    }

    /** An HTTP error reply classified by {@link HttpFailures#classify(int)}. */
    public static ProviderCallException fromHttp(String provider, int status, String body, String retryAfterHeader) {
        return fromHttp(HttpFailures.classify(status), provider, status, body, retryAfterHeader);
    }

    /** An HTTP error reply whose kind the provider decided (e.g. AssemblyAI's negative balance, a 400). */
    public static ProviderCallException fromHttp(FailureKind kind, String provider, int status, String body,
            String retryAfterHeader) {
        return fromHttp(kind, provider, status, body, retryAfterHeader, null);
    }

    /**
     * An HTTP error reply with the provider's id of the request, named before the (possibly cut) body
     * so that the provider's support can find the request.
     */
    public static ProviderCallException fromHttp(FailureKind kind, String provider, int status, String body,
            String retryAfterHeader, String requestId) {
        String id = requestId == null || requestId.isBlank() ? "" : " (request_id " + requestId.strip() + ")";
        String message = provider + " answered HTTP " + status + id + shorten(body);
        Duration retryAfter = HttpFailures.retryAfter(retryAfterHeader, Clock.systemUTC()).orElse(null);
        return switch (kind) {
            case UNAVAILABLE -> new Refused(status, message);
            case RETRYABLE -> status == 429 ? new ProviderCallException(kind, status, message, retryAfter, null)
                    : new Outage(status, message, retryAfter, null);
            default -> new ProviderCallException(kind, status, message, retryAfter, null);
        };
    }

    /** The provider could not be reached or did not answer in time. */
    public static Outage unreachable(String provider, Throwable cause) {
        return new Outage(NO_STATUS, provider + " unreachable: " + cause, null, cause);
    }

    /** A reply that arrived but cannot be used (a provider-side fault such as an unreadable body). */
    public static Outage badReply(String provider, String what) {
        return new Outage(NO_STATUS, provider + " sent an unusable reply: " + what, null, null);
    }

    /** The request can never succeed (bad audio, rejected by the provider). */
    public static ProviderCallException permanent(String message) {
        return new ProviderCallException(FailureKind.PERMANENT, NO_STATUS, message, null, null);
    }

    public FailureKind kind() {
        return kind;
    }

    /** The HTTP status the provider answered, or {@link #NO_STATUS}. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** What the worker acts on. */
    public TranscriptionException toTranscriptionException() {
        return new TranscriptionException(kind, getMessage(), retryAfter, this);
    }

    private static String shorten(String body) {
        String text = body == null ? "" : body.strip();
        if (text.length() > MAX_BODY_IN_MESSAGE) {
            text = text.substring(0, MAX_BODY_IN_MESSAGE) + "…";
        }
        return text.isEmpty() ? "" : ": " + text;
    }
}
