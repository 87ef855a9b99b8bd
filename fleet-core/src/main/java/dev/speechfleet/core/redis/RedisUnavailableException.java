package dev.speechfleet.core.redis;

/** Redis could not be reached or did not answer in time: the call may succeed later. */
public class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
