package dev.speechfleet.router.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.RefusedUpgrade;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Authentication happens before the upgrade: a refused device never gets a socket. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DeviceAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @Test
    void aWrongTokenIsRefusedWith401BeforeTheUpgrade() {
        Admin.createDevice("door-1");

        assertThat(handshakeStatus("door-1", "sfd_not-the-token")).isEqualTo(401);
    }

    @Test
    void anUnknownDeviceIsRefusedWith401() {
        assertThat(handshakeStatus("ghost-1", "sfd_anything")).isEqualTo(401);
    }

    @Test
    void aMissingTokenIsRefusedWith401() {
        Admin.createDevice("door-2");

        int status = RefusedUpgrade.status(() -> DeviceConnection.connect(HttpClient.newHttpClient(),
                base.resolve("/ws/door-2"), null));

        assertThat(status).isEqualTo(401);
    }

    @Test
    void aRevokedTokenIsRefusedWith401() {
        String token = Admin.createDevice("door-3");
        Admin.revoke("door-3");

        assertThat(handshakeStatus("door-3", token)).isEqualTo(401);
    }

    @Test
    void theRightBearerTokenOpensTheSocket() {
        String token = Admin.createDevice("door-4");

        try (DeviceConnection device = DeviceConnection.connect(base, "door-4", token)) {
            device.send("{\"type\":\"start\"}");
            assertThat(device.expect("ready", WAIT).path("session_id").asText()).isNotBlank();
        }
    }

    @Test
    void theTokenMayComeAsAQueryParameter() {
        String token = Admin.createDevice("door-5");

        try (DeviceConnection device = DeviceConnection.connectWithQueryToken(base, "door-5", token)) {
            device.send("{\"type\":\"start\"}");
            device.expect("ready", WAIT);
        }
    }

    @Test
    void revokingClosesTheDevicesOpenSocket() {
        String token = Admin.createDevice("door-6");
        try (DeviceConnection device = DeviceConnection.connect(base, "door-6", token)) {
            device.send("{\"type\":\"start\"}").expect("ready", WAIT);

            Admin.revoke("door-6");

            assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("device_revoked");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4401);
        }
    }

    private int handshakeStatus(String deviceId, String token) {
        return RefusedUpgrade.status(() -> DeviceConnection.connect(base, deviceId, token));
    }
}
