package dev.speechfleet.whisper.model;

/** The configured model cannot be used; the message says what to set. Start-up stops on it. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message) {
        super(message);
    }

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
