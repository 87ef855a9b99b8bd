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
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A message over the server's maximum message size is answered at once with close 1009 and a reason. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class OversizedMessageTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int FOUR_MIB = 4 * 1024 * 1024;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    private String token;
    private final List<DeviceConnection> clients = new ArrayList<>();

    @BeforeEach
    void device() {
        Redis.flush(redis);
        token = Admin.createDevice("big-1");
    }

    @AfterEach
    void closeClients() {
        clients.forEach(DeviceConnection::close);
    }

    @Test
    void aBinaryMessageOfFourMebibytesInOneFrameClosesWith1009AndAReason() {
        DeviceConnection device = started();

        device.sendAsync(new byte[FOUR_MIB], 0);

        assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
        assertThat(device.awaitCloseReason(WAIT)).contains("65536");
    }

    @Test
    void aBinaryMessageOverTheLimitInSmallFramesClosesWith1009AndAReason() {
        DeviceConnection device = started();

        device.sendAsync(new byte[FOUR_MIB], 16 * 1024);

        assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
        assertThat(device.awaitCloseReason(WAIT)).contains("65536");
    }

    @Test
    void aBinaryMessageJustOverTheLimitClosesWith1009() {
        DeviceConnection device = started();

        device.sendAsync(new byte[65536 + 2], 0);

        assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
    }

    @Test
    void aBinaryMessageAtTheLimitIsAFrameTooLargeProtocolError() {
        DeviceConnection device = started();

        device.sendAsync(new byte[65536], 0);

        assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("frame_too_large");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4413);
    }

    @Test
    void aTextMessageOverTheLimitClosesWith1009() {
        DeviceConnection device = started();

        device.send("{\"type\":\"flush\",\"pad\":\"" + "x".repeat(100_000) + "\"}");

        assertThat(device.awaitClose(WAIT)).isEqualTo(1009);
    }

    @Test
    void anotherSessionCarriesOnAfterAnOversizedMessage() {
        DeviceConnection other = started("big-2", Admin.createDevice("big-2"));
        DeviceConnection big = started();

        big.sendAsync(new byte[FOUR_MIB], 0);
        assertThat(big.awaitClose(WAIT)).isEqualTo(1009);

        other.send(Examples.text("stop"));
        assertThat(other.awaitClose(WAIT)).isEqualTo(1000);
    }

    /**
     * With permessage-deflate a message under the limit on the wire could inflate far past it before
     * any limit is checked (Netty inflates without a bound): the router must not agree to it.
     */
    @Test
    void compressionIsNotNegotiated() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5000);
            String upgrade = "GET /ws/big-1 HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(upgrade.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            List<String> head = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                head.add(line.toLowerCase(java.util.Locale.ROOT));
            }

            assertThat(head.getFirst()).contains("101");
            assertThat(head).noneMatch(h -> h.startsWith("sec-websocket-extensions"));
        }
    }

    private DeviceConnection started() {
        return started("big-1", token);
    }

    private DeviceConnection started(String deviceId, String deviceToken) {
        DeviceConnection device = DeviceConnection.connect(base, deviceId, deviceToken);
        clients.add(device);
        device.send(Examples.text("start")).expect("ready", WAIT);
        return device;
    }
}
