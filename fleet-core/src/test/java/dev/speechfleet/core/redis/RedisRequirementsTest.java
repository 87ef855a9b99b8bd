package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.config.FleetConfig.EvictionCheck;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The start-up check of Redis' eviction policy (issue 10, path 11), against real servers. */
class RedisRequirementsTest {

    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"allkeys-lru", "volatile-ttl"})
    void aRedisThatMayEvictKeysMakesStartUpRefuseNamingTheSetting(String policy) {
        try (EmbeddedRedis server = EmbeddedRedis.start(EmbeddedRedis.Options.defaults()
                .withSetting("maxmemory-policy", policy))) {
            RedisStreams redis = client(server.url());

            assertThatThrownBy(() -> RedisRequirements.verify(redis, EvictionCheck.REFUSE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("maxmemory-policy " + policy)
                    .hasMessageContaining("maxmemory-policy noeviction")
                    .hasMessageContaining("fleet.redis.eviction-check=warn");
        }
    }

    @Test
    void configuredToWarnStartUpGoesOnWithAnEvictingRedis() {
        try (EmbeddedRedis server = EmbeddedRedis.start(EmbeddedRedis.Options.defaults()
                .withSetting("maxmemory-policy", "allkeys-lru"))) {
            assertThat(RedisRequirements.verify(client(server.url()), EvictionCheck.WARN))
                    .isEqualTo(RedisRequirements.Outcome.WARNED_EVICTING);
        }
    }

    @Test
    void noevictionPasses() {
        try (EmbeddedRedis server = EmbeddedRedis.start()) {
            assertThat(RedisRequirements.verify(client(server.url()), EvictionCheck.REFUSE))
                    .isEqualTo(RedisRequirements.Outcome.SAFE);
        }
    }

    @Test
    void aServerThatForbidsConfigOnlyWarnsEvenWhenSetToRefuse() {
        try (EmbeddedRedis server = EmbeddedRedis.start(EmbeddedRedis.Options.defaults()
                .withSetting("maxmemory-policy", "allkeys-lru"))) {
            // As on managed Redis: an ACL user for whom CONFIG is forbidden.
            client(server.url()).send(Request.cmd(Command.ACL).arg("SETUSER").arg("fleet").arg("on")
                    .arg(">fleet-secret").arg("~*").arg("&*").arg("+@all").arg("-config"));
            RedisStreams asFleet = client(server.url().replace("redis://", "redis://fleet:fleet-secret@"));

            assertThat(RedisRequirements.verify(asFleet, EvictionCheck.REFUSE))
                    .isEqualTo(RedisRequirements.Outcome.WARNED_UNKNOWN);
        }
    }

    private static RedisStreams client(String url) {
        Function<String, Redis> connect = u -> Redis.createClient(vertx, new RedisOptions().setConnectionString(u));
        return new RedisStreams(connect.apply(url), Duration.ofSeconds(5));
    }
}
