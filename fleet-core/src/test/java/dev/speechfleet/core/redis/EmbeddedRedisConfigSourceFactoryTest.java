package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void withADataDirectoryTheServerRunsWithAofThereAndFindsItsDataAfterARestart(@TempDir Path data) {
        stopServer();
        Map<String, String> properties = Map.of("fleet.redis.embedded", "true",
                "fleet.redis.embedded-data-dir", data.toString(), "quarkus.redis.hosts", "redis://localhost:6379");
        Vertx vertx = Vertx.vertx();
        try {
            RedisStreams first = new RedisStreams(Redis.createClient(vertx,
                    config(properties).getValue("quarkus.redis.hosts", String.class)), Duration.ofSeconds(5));
            assertThat(EmbeddedRedisAofTest.config(first, "appendonly")).isEqualTo("yes");
            assertThat(Path.of(EmbeddedRedisAofTest.config(first, "dir"))).isEqualTo(data.toAbsolutePath());
            first.send(Request.cmd(Command.SET).arg("device:dev-1").arg("kept"));
            stopServer();

            RedisStreams second = new RedisStreams(Redis.createClient(vertx,
                    config(properties).getValue("quarkus.redis.hosts", String.class)), Duration.ofSeconds(5));
            assertThat(second.send(Request.cmd(Command.GET).arg("device:dev-1")).toString()).isEqualTo("kept");
        } finally {
            stopServer();
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
