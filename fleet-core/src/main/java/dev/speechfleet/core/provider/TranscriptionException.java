package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.FailureKind;
import java.time.Duration;
import java.util.Optional;

/**
 * A provider could not transcribe a chunk. Its {@link FailureKind} tells the worker whether
 * retrying can help: {@code RETRYABLE} is retried (honouring {@link #retryAfter()}), then re-routed;
 * {@code PERMANENT} and {@code UNAVAILABLE} are re-routed at once.
 */
public class TranscriptionException extends Exception {

    private final FailureKind kind;
    private final Duration retryAfter;

    public TranscriptionException(FailureKind kind, String message) {
        this(kind, message, null, null);
    }

    public TranscriptionException(FailureKind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        if (kind == FailureKind.POISON) {
            throw new IllegalArgumentException("POISON is decided by the worker, not by a provider");
        }
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public static TranscriptionException retryable(String message) {
        return new TranscriptionException(FailureKind.RETRYABLE, message);
    }

    public static TranscriptionException permanent(String message) {
        return new TranscriptionException(FailureKind.PERMANENT, message);
    }

    public static TranscriptionException unavailable(String message) {
        return new TranscriptionException(FailureKind.UNAVAILABLE, message);
    }

    public FailureKind kind() {
        return kind;
    }

    /** How long the provider asked us to wait (HTTP {@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
