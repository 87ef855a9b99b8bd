package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development Redis with AOF in a data directory keeps its data across a restart (issue 10, path 11). */
class EmbeddedRedisAofTest {

    private static Vertx vertx;

    @TempDir
    Path data;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @Test
    void streamsAndKeysWithATtlSurviveARestartOnTheSameDataDirectory() {
        String id;
        try (EmbeddedRedis first = EmbeddedRedis.start(EmbeddedRedis.Options.defaults().withDataDir(data))) {
            RedisStreams redis = client(first);
            assertThat(config(redis, "appendonly")).isEqualTo("yes");
            id = redis.add("audio:stream:whisper", dev.speechfleet.core.stream.EntryFields.create().put("seq", 7));
            redis.send(Request.cmd(Command.SET).arg("session:{s-1}").arg("open").arg("PX").arg(3_600_000));
        }

        try (EmbeddedRedis second = EmbeddedRedis.start(EmbeddedRedis.Options.defaults().withDataDir(data))) {
            RedisStreams redis = client(second);

            assertThat(redis.range("audio:stream:whisper", "-", "+", 10)).singleElement()
                    .satisfies(e -> assertThat(e.id()).isEqualTo(id));
            assertThat(redis.send(Request.cmd(Command.GET).arg("session:{s-1}")).toString()).isEqualTo("open");
            assertThat(redis.send(Request.cmd(Command.PTTL).arg("session:{s-1}")).toLong()).isPositive();
        }
    }

    @Test
    void withoutADataDirectoryNothingIsPersisted() {
        try (EmbeddedRedis server = EmbeddedRedis.start()) {
            RedisStreams redis = client(server);

            assertThat(config(redis, "appendonly")).isEqualTo("no");
            assertThat(config(redis, "save")).isEmpty();
        }
    }

    static String config(RedisStreams redis, String name) {
        io.vertx.redis.client.Response reply = redis.send(Request.cmd(Command.CONFIG).arg("GET").arg(name));
        return reply.isMap() ? reply.get(name).toString() : reply.get(1).toString();
    }

    private static RedisStreams client(EmbeddedRedis server) {
        return new RedisStreams(Redis.createClient(vertx, server.url()), Duration.ofSeconds(5));
    }
}
