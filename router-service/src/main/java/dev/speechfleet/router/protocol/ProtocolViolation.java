package dev.speechfleet.router.protocol;

/** Bad input from a device: becomes an {@code error} message (and a close when the error says so). */
public final class ProtocolViolation extends RuntimeException {

    private final ProtocolError error;

    public ProtocolViolation(ProtocolError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public ProtocolError error() {
        return error;
    }
}
