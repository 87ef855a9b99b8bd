package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.testing.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service started against a Redis that may evict keys refuses to start, naming the setting, or
 * warns loudly and starts when configured to (issue 10, path 11). Real processes, real Redis.
 */
class RedisRequirementsStartUpTest {

    private TestRedis redis;
    private ServiceProcess service;

    @BeforeEach
    void evictingRedis() {
        redis = TestRedis.start();
        redis.streams().send(Request.cmd(Command.CONFIG).arg("SET").arg("maxmemory-policy").arg("allkeys-lru"));
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        redis.close();
    }

    @Test
    void aServiceRefusesToStartOnARedisThatMayEvictKeys() throws Exception {
        service = ServiceProcess.start("aggregator-on-lru", "results-aggregator", EmbeddedRedis.freePort(),
                Map.of("quarkus.redis.hosts", redis.url()));

        int status = service.awaitExit(Duration.ofSeconds(90));

        assertThat(status).as("exit status").isNotZero();
        assertThat(service.log()).contains("maxmemory-policy allkeys-lru").contains("maxmemory-policy noeviction")
                .contains("fleet.redis.eviction-check=warn");
    }

    @Test
    void configuredToWarnAServiceStartsAndSaysSoLoudly() throws Exception {
        service = ServiceProcess.start("router-on-lru", "router-service", EmbeddedRedis.freePort(),
                Map.of("quarkus.redis.hosts", redis.url(), "fleet.redis.eviction-check", "warn"));

        service.awaitUp();

        assertThat(service.log()).contains("!!! Redis has maxmemory-policy allkeys-lru");
    }
}
