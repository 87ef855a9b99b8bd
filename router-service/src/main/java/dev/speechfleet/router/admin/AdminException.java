package dev.speechfleet.router.admin;

/** A refused admin request, with its HTTP status and a stable error code. */
public final class AdminException extends RuntimeException {

    private final int status;
    private final String code;

    public AdminException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
