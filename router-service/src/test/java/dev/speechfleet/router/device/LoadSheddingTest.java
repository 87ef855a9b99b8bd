package dev.speechfleet.router.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.RefusedUpgrade;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An instance holding {@code router.limits.max-sockets} refuses the next upgrade with 503 and Retry-After. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(LoadSheddingTest.TwoSockets.class)
class LoadSheddingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Room for two sockets, a refused device told to wait 3 s. */
    public static class TwoSockets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.limits.max-sockets", "2", "router.limits.shed-retry-after", "3s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    OpenConnections connections;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void clean() {
        Redis.flush(redis);
        await().atMost(WAIT).until(() -> connections.stream().count() == 0);
    }

    @Test
    void aFullInstanceRefusesTheNextDeviceWith503AndRetryAfterAndKeepsServingItsSessions() {
        String token = Admin.createDevice("shed-1");
        try (DeviceConnection first = connect("shed-1", token); DeviceConnection second = connect("shed-1", token)) {
            first.send(Examples.text("start")).expect("ready", WAIT);

            WebSocketHandshakeException refused = refusal("shed-2", Admin.createDevice("shed-2"));

            assertThat(refused.getResponse().statusCode()).isEqualTo(503);
            assertThat(refused.getResponse().headers().firstValue("Retry-After")).hasValue("3");
            second.send(Examples.text("start")).expect("ready", WAIT);
        }
    }

    @Test
    void aSocketIsAdmittedAgainOnceOneHasClosed() {
        String token = Admin.createDevice("shed-3");
        DeviceConnection first = connect("shed-3", token);
        try (DeviceConnection second = connect("shed-3", token)) {
            assertThat(refusal("shed-3", token).getResponse().statusCode()).isEqualTo(503);

            first.close();
            await().atMost(WAIT).until(() -> connections.stream().count() < 2);

            try (DeviceConnection third = connect("shed-3", token)) {
                third.send(Examples.text("start")).expect("ready", WAIT);
            }
        }
    }

    @Test
    void aWrongTokenIsStill401WhenTheInstanceIsFull() {
        String token = Admin.createDevice("shed-4");
        try (DeviceConnection first = connect("shed-4", token); DeviceConnection second = connect("shed-4", token)) {
            int status = RefusedUpgrade.status(() -> connect("shed-4", "sfd_wrong"));

            assertThat(status).isEqualTo(401);
        }
    }

    private DeviceConnection connect(String deviceId, String token) {
        return DeviceConnection.connect(http, base.resolve("/ws/" + deviceId), token);
    }

    private WebSocketHandshakeException refusal(String deviceId, String token) {
        return RefusedUpgrade.of(() -> connect(deviceId, token));
    }
}
