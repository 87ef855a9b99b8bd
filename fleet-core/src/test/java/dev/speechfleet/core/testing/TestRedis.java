package dev.speechfleet.core.testing;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;

/**
 * A real Redis for plain JUnit tests (no Quarkus): an embedded server (or {@code REDIS_URL}) and a
 * Vert.x client on it. Each test class owns one; {@link #flush()} between tests.
 */
public final class TestRedis implements AutoCloseable {

    private final EmbeddedRedis embedded;
    private final String url;
    private final Vertx vertx;
    private final Redis client;
    private final RedisStreams streams;

    private TestRedis(EmbeddedRedis embedded, String url) {
        this.embedded = embedded;
        this.url = url;
        this.vertx = Vertx.vertx();
        this.client = Redis.createClient(vertx, new RedisOptions().setConnectionString(url)
                .setMaxPoolSize(16).setMaxPoolWaiting(256));
        this.streams = new RedisStreams(client, Duration.ofSeconds(5));
    }

    public static TestRedis start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return new TestRedis(null, external);
        }
        EmbeddedRedis embedded = EmbeddedRedis.start();
        return new TestRedis(embedded, embedded.url());
    }

    public String url() {
        return url;
    }

    public RedisStreams streams() {
        return streams;
    }

    public EmbeddedRedis embedded() {
        return embedded;
    }

    /** Empties the database between tests. */
    public void flush() {
        streams.send(Request.cmd(Command.FLUSHALL));
    }

    @Override
    public void close() {
        client.close();
        vertx.close();
        if (embedded != null) {
            embedded.stop();
        }
    }
}
