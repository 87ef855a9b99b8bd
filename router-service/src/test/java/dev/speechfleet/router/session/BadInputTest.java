package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.client.Pcm;
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

/** Each kind of bad input gets its error and, where the session cannot go on, its close code. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class BadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    private String token;
    private final List<DeviceConnection> clients = new ArrayList<>();

    @BeforeEach
    void device() {
        Redis.flush(redis);
        token = Admin.createDevice("bad-1");
    }

    @AfterEach
    void closeClients() {
        clients.forEach(DeviceConnection::close);
    }

    @Test
    void malformedJsonIsAnErrorAndTheSocketStaysUsable() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",");

        assertError(device.next(WAIT), "malformed_json");
        device.send(Examples.text("start")).expect("ready", WAIT);
    }

    @Test
    void anUnknownMessageTypeIsAnErrorAndTheSocketStaysUsable() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"rewind\"}");

        assertError(device.next(WAIT), "unknown_type");
        device.send(Examples.text("start")).expect("ready", WAIT);
    }

    @Test
    void audioBeforeStartIsAnErrorAndTheSocketStaysUsable() {
        DeviceConnection device = connect();

        device.send(Pcm.tone(16000, 20, 8000));

        assertError(device.next(WAIT), "not_started");
        device.send(Examples.text("start")).expect("ready", WAIT);
    }

    @Test
    void flushBeforeStartIsAnError() {
        DeviceConnection device = connect();

        device.send(Examples.text("flush"));

        assertError(device.next(WAIT), "not_started");
        assertThat(device.isClosed()).isFalse();
    }

    @Test
    void aSecondStartIsAnError() {
        DeviceConnection device = started();

        device.send(Examples.text("start"));

        assertError(device.next(WAIT), "already_started");
    }

    @Test
    void anUnsupportedEncodingClosesWith4415() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"flac\"}");

        assertError(device.next(WAIT), "unsupported_encoding");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4415);
    }

    @Test
    void anUnsupportedSampleRateClosesWith4416() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",\"sample_rate\":44100,\"encoding\":\"pcm_s16le\"}");

        assertError(device.next(WAIT), "unsupported_sample_rate");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4416);
    }

    @Test
    void anUnknownPolicyClosesWith4400() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",\"policy\":\"fastest\"}");

        assertError(device.next(WAIT), "invalid_start");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
    }

    @Test
    void aLanguageNoProviderServesClosesWith4400() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",\"language\":\"not a language\"}");

        assertError(device.next(WAIT), "invalid_start");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
    }

    @Test
    void aConsensusWithAnUnknownProviderClosesWith4400() {
        DeviceConnection device = connect();

        device.send("{\"type\":\"start\",\"consensus\":[\"whisper\",\"siri\"]}");

        assertError(device.next(WAIT), "invalid_start");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
    }

    @Test
    void resumingAnUnknownSessionClosesWith4404() {
        DeviceConnection device = connect();

        device.send(Examples.text("start-resume"));

        assertError(device.next(WAIT), "unknown_session");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4404);
    }

    @Test
    void resumingAnotherDevicesSessionClosesWith4404() {
        started();
        String sessionId = lastSessionId;
        String otherToken = Admin.createDevice("bad-2");
        DeviceConnection other = track(DeviceConnection.connect(base, "bad-2", otherToken));

        other.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":0}");

        assertError(other.next(WAIT), "unknown_session");
        assertThat(other.awaitClose(WAIT)).isEqualTo(4404);
    }

    @Test
    void anOversizedFrameClosesWith4413() {
        DeviceConnection device = started();

        device.send(Pcm.tone(16000, 250, 8000));

        assertError(device.next(WAIT), "frame_too_large");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4413);
    }

    @Test
    void aFrameOfHalfASampleIsDroppedWithAnError() {
        DeviceConnection device = started();

        device.send(new byte[641]);

        assertError(device.next(WAIT), "invalid_frame");
        device.send(new byte[640]).send(Examples.text("flush"));
        assertThat(device.isClosed()).isFalse();
    }

    @Test
    void audioMuchFasterThanRealTimeClosesWith4429() {
        DeviceConnection device = started();

        device.sendFramesUntilClosed(Pcm.silence(16000, 20_000), 16000, 100);

        assertError(device.next(WAIT), "too_fast");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4429);
    }

    @Test
    void aTextMessageOverTheLimitIsRefusedWithoutClosing() {
        DeviceConnection device = started();

        device.send("{\"type\":\"flush\",\"pad\":\"" + "x".repeat(5000) + "\"}");

        assertError(device.next(WAIT), "message_too_large");
        assertThat(device.isClosed()).isFalse();
    }

    @Test
    void aThirdSessionOfOneDeviceClosesWith4409() {
        started();
        started();
        DeviceConnection third = connect();

        third.send(Examples.text("start"));

        assertError(third.next(WAIT), "too_many_sessions");
        assertThat(third.awaitClose(WAIT)).isEqualTo(4409);
    }

    @Test
    void afterEveryKindOfBadInputTheRouterStillServesSessions() {
        DeviceConnection noisy = connect();
        noisy.send("nonsense").send(new byte[3]).send("{\"type\":\"start\",\"sample_rate\":1}");
        noisy.awaitClose(WAIT);

        DeviceConnection good = started();
        good.send(Pcm.silence(16000, 100));

        assertThat(good.isClosed()).isFalse();
        assertThat(lastSessionId).isNotBlank();
    }

    private String lastSessionId;

    private DeviceConnection started() {
        DeviceConnection device = connect();
        device.send(Examples.text("start"));
        JsonNode ready = device.expect("ready", WAIT);
        lastSessionId = ready.path("session_id").asText();
        return device;
    }

    private DeviceConnection connect() {
        return track(DeviceConnection.connect(base, "bad-1", token));
    }

    private DeviceConnection track(DeviceConnection client) {
        clients.add(client);
        return client;
    }

    private static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("error");
        assertThat(message.path("code").asText()).as(message.toString()).isEqualTo(code);
        assertThat(message.path("message").asText()).isNotBlank();
    }
}
