package dev.speechfleet.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The admin token guards the admin resources however their path is spelled: a guard that looks at
 * the path prefix is passed by a path the router still routes to the admin API.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AdminPathGuardTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//admin/devices", "/%61dmin/devices", "/admin//devices", "/./admin/devices",
            "/x/../admin/devices", "/admin/devices/", "/%2Fadmin/devices"})
    void noSpellingOfTheAdminPathListsDevicesWithoutTheToken(String path) {
        Admin.createDevice("listed-1");

        RawHttp.Reply reply = RawHttp.send(base, "GET", path, null, null);

        assertThat(reply.status()).as(path + " -> " + reply).isIn(401, 404);
        assertThat(reply.body()).doesNotContain("listed-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"//admin/devices", "/%61dmin/devices", "/admin//devices", "/./admin/devices",
            "/x/../admin/devices", "/admin/devices/", "/%2Fadmin/devices"})
    void noSpellingOfTheAdminPathCreatesADeviceWithoutTheToken(String path) {
        RawHttp.Reply reply = RawHttp.send(base, "POST", path, "{\"device_id\":\"intruder-1\"}", null);

        assertThat(reply.status()).as(path + " -> " + reply).isIn(401, 404);
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(StreamKeys.device("intruder-1"))).toLong()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"//admin/devices/victim-1/revoke", "/%61dmin/devices/victim-1/revoke",
            "/admin/devices/victim-1/%72evoke"})
    void noSpellingOfTheAdminPathRevokesWithoutTheToken(String path) {
        Admin.createDevice("victim-1");

        RawHttp.Reply reply = RawHttp.send(base, "POST", path, "", null);

        assertThat(reply.status()).as(path + " -> " + reply).isIn(401, 404);
        assertThat(redis.send(Request.cmd(Command.HGET).arg(StreamKeys.device("victim-1")).arg("enabled")).toString())
                .isEqualTo("1");
    }
}
