package dev.speechfleet.core.stream;

/** A stream entry that cannot be decoded: a missing required field or a value of the wrong form. */
public class MalformedEntryException extends RuntimeException {
    public MalformedEntryException(String message) {
        super(message);
    }

    public MalformedEntryException(String message, Throwable cause) {
        super(message, cause);
    }
}
