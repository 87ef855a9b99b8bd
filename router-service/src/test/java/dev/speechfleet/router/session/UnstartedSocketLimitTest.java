package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sockets that never send {@code start} count towards {@code router.limits.max-sessions-per-device}
 * (2 in the test configuration): a device cannot hold sockets open without sessions past its limit.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class UnstartedSocketLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    private final List<DeviceConnection> clients = new ArrayList<>();

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(DeviceConnection::close);
    }

    @Test
    void aSocketBeyondTheLimitOfUnstartedOnesIsRefusedWith4409WithoutAStart() {
        String token = Admin.createDevice("mute-1");
        connect("mute-1", token);
        connect("mute-1", token);

        DeviceConnection third = connect("mute-1", token);

        assertError(third.next(WAIT), "too_many_sessions");
        assertThat(third.awaitClose(WAIT)).isEqualTo(4409);
    }

    @Test
    void anUnstartedSocketCountsAgainstANewSession() {
        String token = Admin.createDevice("mute-2");
        connect("mute-2", token);
        started("mute-2", token);
        DeviceConnection third = connect("mute-2", token);

        third.send(Examples.text("start"));

        assertError(third.next(WAIT), "too_many_sessions");
        assertThat(third.awaitClose(WAIT)).isEqualTo(4409);
    }

    @Test
    void closingTheUnstartedSocketsFreesTheirPlaces() {
        String token = Admin.createDevice("mute-3");
        DeviceConnection first = connect("mute-3", token);
        DeviceConnection second = connect("mute-3", token);

        first.close();
        second.close();

        await().atMost(WAIT).untilAsserted(() -> {
            DeviceConnection next = connect("mute-3", token);
            next.send(Examples.text("start"));
            assertThat(next.next(WAIT).path("type").asText()).isEqualTo("ready");
            next.close();
        });
    }

    @Test
    void aDeviceAtItsLimitOfSessionsMayStillResumeOneOnANewSocket() {
        String token = Admin.createDevice("mute-4");
        DeviceConnection first = connect("mute-4", token);
        String sessionId = first.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();
        started("mute-4", token);

        DeviceConnection resumed = connect("mute-4", token);
        resumed.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":-1}");

        assertThat(resumed.expect("ready", WAIT).path("resumed").asBoolean()).isTrue();
        assertThat(first.awaitClose(WAIT)).isEqualTo(4411);
    }

    private DeviceConnection started(String deviceId, String token) {
        DeviceConnection device = connect(deviceId, token);
        device.send(Examples.text("start")).expect("ready", WAIT);
        return device;
    }

    private DeviceConnection connect(String deviceId, String token) {
        DeviceConnection device = DeviceConnection.connect(base, deviceId, token);
        clients.add(device);
        return device;
    }

    private static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("error");
        assertThat(message.path("code").asText()).as(message.toString()).isEqualTo(code);
        assertThat(message.path("message").asText()).isNotBlank();
    }
}
