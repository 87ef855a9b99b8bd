package dev.speechfleet.core.redis;

/** Redis answered with an error reply: the command was wrong for the data, retrying it will not help. */
public class RedisCommandException extends RuntimeException {
    public RedisCommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
