package dev.speechfleet.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;

/** A service run with {@code fleet.redis.embedded=true} and no REDIS_URL gets a real Redis of its own. */
@QuarkusTest
@TestProfile(EmbeddedRedisDevRunTest.EmbeddedRedisProfile.class)
@DisabledIfEnvironmentVariable(named = "REDIS_URL", matches = ".+")
class EmbeddedRedisDevRunTest {

    public static class EmbeddedRedisProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("fleet.redis.embedded", "true", "fleet.worker.enabled", "false");
        }
    }

    @Inject
    RedisStreams streams;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String hosts;

    @Test
    void theClientTalksToTheEmbeddedServer() {
        assertThat(hosts).startsWith("redis://127.0.0.1:");
        assertThat(streams.send(Request.cmd(Command.PING)).toString()).isEqualTo("PONG");
    }
}
