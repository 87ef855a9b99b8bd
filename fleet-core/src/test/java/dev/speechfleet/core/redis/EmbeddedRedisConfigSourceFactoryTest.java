package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class EmbeddedRedisConfigSourceFactoryTest {

    @AfterAll
    static void stopServer() {
        EmbeddedRedis redis = EmbeddedRedisConfigSourceFactory.running();
        if (redis != null) {
            redis.stop();
        }
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(properties, "test", 250))
                .withSources(new EmbeddedRedisConfigSourceFactory())
                .build();
    }

    @Test
    void enabledWithoutRedisUrlPointsTheClientAtAStartedServer() {
        SmallRyeConfig config = config(Map.of("fleet.redis.embedded", "true",
                "quarkus.redis.hosts", "redis://localhost:6379"));

        String hosts = config.getValue("quarkus.redis.hosts", String.class);

        assertThat(hosts).startsWith("redis://127.0.0.1:");
        Vertx vertx = Vertx.vertx();
        try {
            Redis client = Redis.createClient(vertx, hosts);
            RedisStreams streams = new RedisStreams(client, Duration.ofSeconds(5));
            assertThat(streams.send(Request.cmd(Command.PING)).toString()).isEqualTo("PONG");
        } finally {
            vertx.close();
        }
    }

    @Test
    void anExplicitRedisUrlWins() {
        SmallRyeConfig config = config(Map.of("fleet.redis.embedded", "true", "REDIS_URL", "redis://redis.example:6379",
                "quarkus.redis.hosts", "${REDIS_URL}"));

        assertThat(config.getValue("quarkus.redis.hosts", String.class)).isEqualTo("redis://redis.example:6379");
    }

    @Test
    void disabledByDefault() {
        SmallRyeConfig config = config(Map.of("quarkus.redis.hosts", "redis://localhost:6379"));

        assertThat(config.getValue("quarkus.redis.hosts", String.class)).isEqualTo("redis://localhost:6379");
    }
}
