package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.core.redis.RedisStreams;
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
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code router.limits.max-message-bytes} alone moves the 1009 limit, the transport's limits with it. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(ConfiguredMessageSizeTest.SmallMessages.class)
class ConfiguredMessageSizeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** 8 KiB messages at most. */
    public static class SmallMessages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.limits.max-message-bytes", "8192");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    private String token;

    @BeforeEach
    void device() {
        Redis.flush(redis);
        token = Admin.createDevice("small-1");
    }

    @Test
    void aMessageOverTheConfiguredLimitClosesWith1009NamingIt() {
        try (DeviceConnection device = started()) {
            device.sendAsync(new byte[8194], 0);

            assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
            assertThat(device.awaitCloseReason(WAIT)).contains("8192");
        }
    }

    @Test
    void aFragmentedMessageOverTheConfiguredLimitClosesWith1009() {
        try (DeviceConnection device = started()) {
            device.sendAsync(new byte[20_000], 1000);

            assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
        }
    }

    @Test
    void aMessageUnderTheConfiguredLimitStillReachesTheProtocol() {
        try (DeviceConnection device = started()) {
            device.sendAsync(new byte[8000], 0);

            assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("frame_too_large");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4413);
        }
    }

    private DeviceConnection started() {
        DeviceConnection device = DeviceConnection.connect(base, "small-1", token);
        device.send(Examples.text("start")).expect("ready", WAIT);
        return device;
    }
}
