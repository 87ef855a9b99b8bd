package dev.speechfleet.whisper.model;

/**
 * A named model could not be downloaded. {@link #reason()} says what happened (no route to host, a
 * DNS failure, an HTTP status, a checksum mismatch, …) without the advice of the full message, for
 * callers that give advice of their own.
 */
public class ModelDownloadException extends ModelUnavailableException {

    private final String reason;

    ModelDownloadException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
