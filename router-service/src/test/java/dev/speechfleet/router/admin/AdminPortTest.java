package dev.speechfleet.router.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With {@code router.admin.port} set, the admin API lives on its own port and the device port does not serve it. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AdminPortTest.SeparateAdminPort.class)
class AdminPortTest {

    /** The admin API on a free port of the loopback interface. */
    public static class SeparateAdminPort implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.admin.port", String.valueOf(freePort()), "router.admin.host", "127.0.0.1");
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @TestHTTPResource("/")
    URI devicePort;

    @ConfigProperty(name = "router.admin.port")
    int adminPort;

    @Inject
    RedisStreams redis;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/devices", "//admin/devices", "/%61dmin/devices"})
    void theDevicePortDoesNotListDevicesEvenWithTheToken(String path) {
        RawHttp.Reply reply = RawHttp.send(devicePort, "GET", path, null, Admin.TOKEN);

        assertThat(reply.status()).as(path + " -> " + reply).isEqualTo(404);
    }

    @Test
    void theDevicePortDoesNotCreateDevicesEvenWithTheToken() {
        RawHttp.Reply reply = RawHttp.send(devicePort, "POST", "/admin/devices", "{\"device_id\":\"side-1\"}",
                Admin.TOKEN);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(StreamKeys.device("side-1"))).toLong()).isZero();
    }

    @Test
    void theAdminPortCreatesAndListsDevicesWithTheToken() {
        given().port(adminPort).auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("device_id", "side-2")).post("/admin/devices").then().statusCode(201)
                .body("device_id", equalTo("side-2"));

        given().port(adminPort).auth().oauth2(Admin.TOKEN).get("/admin/devices").then().statusCode(200)
                .body("[0].device_id", equalTo("side-2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/admin/devices", "//admin/devices", "/%61dmin/devices", "/admin/devices/"})
    void theAdminPortRefusesEverySpellingWithoutTheToken(String path) {
        URI admin = URI.create("http://127.0.0.1:" + adminPort + "/");

        RawHttp.Reply list = RawHttp.send(admin, "GET", path, null, null);
        RawHttp.Reply create = RawHttp.send(admin, "POST", path, "{\"device_id\":\"side-3\"}", "wrong");

        assertThat(list.status()).as(path + " -> " + list).isEqualTo(401);
        assertThat(create.status()).as(path + " -> " + create).isEqualTo(401);
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(StreamKeys.device("side-3"))).toLong()).isZero();
    }

    @Test
    void aDeviceCreatedOnTheAdminPortConnectsOnTheDevicePortAtOnce() {
        String token = given().port(adminPort).auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("device_id", "side-4")).post("/admin/devices").then().statusCode(201)
                .extract().path("token");

        try (DeviceConnection device = DeviceConnection.connect(devicePort, "side-4", token)) {
            device.send(Examples.text("start")).expect("ready", Duration.ofSeconds(5));
        }
    }

    @Test
    void revokingOnTheAdminPortClosesTheDevicesSocket() {
        String token = given().port(adminPort).auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("device_id", "side-5")).post("/admin/devices").then().statusCode(201)
                .extract().path("token");
        try (DeviceConnection device = DeviceConnection.connect(devicePort, "side-5", token)) {
            device.send(Examples.text("start")).expect("ready", Duration.ofSeconds(5));

            given().port(adminPort).auth().oauth2(Admin.TOKEN).post("/admin/devices/side-5/revoke").then()
                    .statusCode(204);

            assertThat(device.awaitClose(Duration.ofSeconds(5))).isEqualTo(4401);
        }
    }
}
