package dev.speechfleet.core.testing;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestRedis} per test class, emptied before each test, closed after the class:
 * {@code @RegisterExtension static final RedisPerClass redis = new RedisPerClass();}. It runs before
 * the class's own {@code @BeforeAll} and {@code @BeforeEach} methods, so they find it started and empty.
 */
public final class RedisPerClass implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private TestRedis redis;

    @Override
    public void beforeAll(ExtensionContext context) {
        redis = TestRedis.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        redis.flush();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        redis.close();
        redis = null;
    }

    public RedisStreams streams() {
        return redis.streams();
    }

    public String url() {
        return redis.url();
    }

    public EmbeddedRedis embedded() {
        return redis.embedded();
    }

    /** Empties the database within a test (it is emptied before each one anyway). */
    public void flush() {
        redis.flush();
    }
}
