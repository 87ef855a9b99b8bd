package dev.speechfleet.core.provider;

import dev.speechfleet.core.stream.FailureKind;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The classification every HTTP provider shares (provider-contracts.md): bad requests are permanent,
 * auth, payment and permission errors make the provider unavailable, 408, 429 and 5xx are retryable.
 * Provider-specific exceptions (AssemblyAI's negative balance is a 400) are decided by the provider
 * before falling back to this.
 */
public final class HttpFailures {

    private static final int MAX_BODY_IN_MESSAGE = 300;

    private HttpFailures() {
    }

    public static FailureKind classify(int status) {
        if (status == 401 || status == 402 || status == 403) {
            return FailureKind.UNAVAILABLE;
        }
        if (status == 408 || status == 429 || status >= 500) {
            return FailureKind.RETRYABLE;
        }
        return FailureKind.PERMANENT;
    }

    /**
     * A {@code Retry-After} header: delay seconds or an HTTP date. Empty when absent or unreadable.
     */
    public static Optional<Duration> retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** The exception for an HTTP error reply, classified by status, with the body shortened into the message. */
    public static TranscriptionException failure(String provider, int status, String body, String retryAfterHeader) {
        return failure(classify(status), provider, status, body, retryAfterHeader);
    }

    /** The exception for an HTTP error reply whose kind the provider decided itself. */
    public static TranscriptionException failure(FailureKind kind, String provider, int status, String body,
            String retryAfterHeader) {
        String shortBody = body == null ? "" : body.strip();
        if (shortBody.length() > MAX_BODY_IN_MESSAGE) {
            shortBody = shortBody.substring(0, MAX_BODY_IN_MESSAGE) + "…";
        }
        return new TranscriptionException(kind, provider + " answered HTTP " + status
                + (shortBody.isEmpty() ? "" : ": " + shortBody),
                retryAfter(retryAfterHeader, Clock.systemUTC()).orElse(null), null);
    }
}
