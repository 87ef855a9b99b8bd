package dev.speechfleet.core.stream;

import java.util.Objects;

/**
 * One failed attempt in a chunk's {@code error_history}.
 *
 * @param provider the provider that failed
 * @param kind     how the failure was classified
 * @param message  a short human-readable reason
 * @param atMillis epoch millis of the failure
 */
public record ProviderError(String provider, FailureKind kind, String message, long atMillis) {
    public ProviderError {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        message = message == null ? "" : message;
    }
}
