package dev.speechfleet.router.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.RefusedUpgrade;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.RedisMonitor;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failed authentications are limited per remote address (HTTP 429 before any lookup), and device
 * records and unknown device ids are remembered for {@code router.auth.cache-ttl} instead of being
 * read from Redis on every attempt. Each test connects from loopback addresses of its own
 * (127.x.y.z), so that what one address did does not touch the others.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(AuthAbuseTest.StrictAuth.class)
class AuthAbuseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** Three failures per minute, eight addresses tracked, records trusted for 30 s. */
    public static class StrictAuth implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.auth.max-failures", "3", "router.auth.failure-window", "1m",
                    "router.auth.failure-addresses", "8", "router.auth.cache-ttl", "30s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    AuthFailureLimiter limiter;

    @Inject
    DeviceAuthenticator authenticator;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUrl;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @Test
    void afterTheAllowedFailuresAnAddressIsAnswered429BeforeTheUpgrade() {
        String token = Admin.createDevice("door-10");
        HttpClient from = from("127.0.0.2");
        for (int i = 0; i < 3; i++) {
            assertThat(handshakeStatus(from, "door-10", "sfd_wrong-" + i)).isEqualTo(401);
        }

        WebSocketHandshakeException refused = handshakeFailure(from, "door-10", token);

        assertThat(refused.getResponse().statusCode()).isEqualTo(429);
        assertThat(refused.getResponse().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void anotherAddressIsNotLimited() {
        String token = Admin.createDevice("door-11");
        HttpClient attacker = from("127.0.0.3");
        for (int i = 0; i < 4; i++) {
            handshakeFailure(attacker, "door-11", "sfd_wrong-" + i);
        }
        assertThat(handshakeStatus(attacker, "door-11", token)).isEqualTo(429);

        try (DeviceConnection device = DeviceConnection.connect(from("127.0.0.4"), base.resolve("/ws/door-11"), token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);
        }
    }

    @Test
    void failedAdminTokensCountToo() {
        HttpClient from = from("127.0.0.5");
        for (int i = 0; i < 3; i++) {
            assertThat(adminList(from, "wrong-" + i)).isEqualTo(401);
        }

        assertThat(adminList(from, Admin.TOKEN)).isEqualTo(429);
        assertThat(adminList(from("127.0.0.6"), Admin.TOKEN)).isEqualTo(200);
    }

    @Test
    void theAddressesTrackedStayBounded() {
        for (int i = 1; i <= 30; i++) {
            handshakeFailure(from("127.0.2." + i), "nobody-" + i, "sfd_wrong");
        }

        assertThat(limiter.trackedAddresses()).isPositive().isLessThanOrEqualTo(8);
    }

    @Test
    void anUnknownDeviceIsReadFromRedisOnceWithinTheCacheTtl() {
        try (RedisMonitor monitor = RedisMonitor.start(redisUrl)) {
            for (int i = 1; i <= 5; i++) {
                assertThat(handshakeStatus(from("127.0.1." + i), "ghost-10", "sfd_anything")).isEqualTo(401);
            }

            await().atMost(WAIT).until(() -> monitor.count("\"HGETALL\"", "device:ghost-10") >= 1);
            assertThat(monitor.count("\"HGETALL\"", "device:ghost-10")).isEqualTo(1);
        }
    }

    /** Here, where records are trusted for 30 s, a stall of the loaded machine cannot outlast the TTL. */
    @Test
    void aSecondConnectionIsAuthenticatedFromTheCache() {
        String token = Admin.createDevice("door-7");
        DeviceConnection.connect(from("127.0.1.20"), base.resolve("/ws/door-7"), token).close();

        assertThat(authenticator.cached("door-7")).isPresent();
        assertThat(authenticator.cached("door-7").get().accepts(token)).isTrue();
    }

    @Test
    void aDeviceCreatedOnThisInstanceConnectsAtOnceAfterBeingUnknown() {
        assertThat(handshakeStatus(from("127.0.1.10"), "late-10", "sfd_anything")).isEqualTo(401);

        String token = Admin.createDevice("late-10");

        try (DeviceConnection device = DeviceConnection.connect(from("127.0.1.11"), base.resolve("/ws/late-10"), token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);
        }
    }

    private static HttpClient from(String localAddress) {
        try {
            return HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int adminList(HttpClient from, String token) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/admin/devices"))
                .header("Authorization", "Bearer " + token).GET().build();
        try {
            return from.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int handshakeStatus(HttpClient from, String deviceId, String token) {
        return handshakeFailure(from, deviceId, token).getResponse().statusCode();
    }

    private WebSocketHandshakeException handshakeFailure(HttpClient from, String deviceId, String token) {
        return RefusedUpgrade.of(() -> DeviceConnection.connect(from, base.resolve("/ws/" + deviceId), token));
    }
}
