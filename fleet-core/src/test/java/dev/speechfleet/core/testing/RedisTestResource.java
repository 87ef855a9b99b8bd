package dev.speechfleet.core.testing;

import dev.speechfleet.core.redis.EmbeddedRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The Redis of every module's {@code @QuarkusTest}s: {@code REDIS_URL} when it is set, otherwise a
 * real Redis 7 from {@code org.signal:embedded-redis} on a free loopback port, stopped afterwards.
 *
 * <p>Use with {@code @QuarkusTestResource(RedisTestResource.class)} (or {@code @WithTestResource}).
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedRedis embedded;

    @Override
    public Map<String, String> start() {
        String external = System.getenv("REDIS_URL");
        if (external != null && !external.isBlank()) {
            return Map.of("quarkus.redis.hosts", external);
        }
        embedded = EmbeddedRedis.start();
        return Map.of("quarkus.redis.hosts", embedded.url());
    }

    @Override
    public void stop() {
        if (embedded != null) {
            embedded.stop();
        }
    }
}
