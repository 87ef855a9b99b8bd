package dev.speechfleet.router.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.RawDeviceSocket;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device whose record is not in the authentication cache is looked up in Redis on a worker thread.
 * The check must still hand its answer back on the event loop: Quarkus upgrades the socket and
 * installs its message handlers on the thread the answer arrives on, and from a worker thread the
 * handlers come one event-loop turn after the 101, so a {@code start} the device sends at once can
 * arrive in between and is dropped by Vert.x without a trace (the device then idles out, 4408).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class UncachedDeviceUpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    DeviceAuthenticator authenticator;

    @Inject
    UpgradeContinuationProbe probe;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @Test
    void anUncachedDevicesUpgradeGoesOnOnTheEventLoop() {
        String token = Admin.createDevice("uncached-1");
        authenticator.invalidate("uncached-1");

        try (RawDeviceSocket device = RawDeviceSocket.connect(base, "uncached-1", token, 65536)) {
            device.sendText("{\"type\":\"start\"}");

            assertThat(device.readText(WAIT)).hasValueSatisfying(text -> assertThat(text).contains("\"ready\""));
        }
        assertThat(authenticator.cached("uncached-1")).as("the record was read from Redis").isPresent();
        assertThat(probe.continuedOnEventLoop("uncached-1")).contains(true);
    }
}
