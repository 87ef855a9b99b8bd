package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session outlives its hash's TTL while its socket is open, and a session hash that vanished
 * anyway (lost by Redis) never hands out a seq twice.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SessionExpiryTest.ShortTtl.class)
class SessionExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String START = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\","
            + "\"language\":\"en\"}";

    /** Session hashes live 1.5 s after their last refresh; open sessions refresh every 300 ms. */
    public static class ShortTtl implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.session.ttl", "1500ms", "router.session.checkpoint-interval", "300ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline pipeline;
    private String token;
    private final ScheduledExecutorService streaming = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void fleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
        token = Admin.createDevice("quiet-1");
    }

    @AfterEach
    void stop() {
        streaming.shutdownNow();
        pipeline.close();
    }

    @Test
    void aDeviceQuietForLongerThanTheTtlGetsTheNextSeqForItsNextUtterance() {
        try (DeviceConnection device = DeviceConnection.connect(base, "quiet-1", token)) {
            String sessionId = device.send(START).expect("ready", WAIT).path("session_id").asText();
            speak(device);
            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isZero();

            // Connected and streaming silence (so never idle) for twice the hash's TTL.
            AtomicInteger frames = new AtomicInteger();
            var silence = streaming.scheduleAtFixedRate(() -> {
                device.send(Pcm.silence(16000, 100));
                frames.incrementAndGet();
            }, 0, 100, TimeUnit.MILLISECONDS);
            await().atMost(WAIT).until(() -> frames.get() >= 30);
            assertThat(exists(StreamKeys.session(sessionId))).as("session hash kept alive").isTrue();
            silence.cancel(false);

            speak(device);
            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aSessionLostFromRedisIsWrittenBackAndItsSeqsGoOn() {
        try (DeviceConnection device = DeviceConnection.connect(base, "quiet-1", token)) {
            String sessionId = device.send(START).expect("ready", WAIT).path("session_id").asText();
            speak(device);
            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isZero();

            redis.send(Request.cmd(Command.DEL).arg(StreamKeys.session(sessionId)));
            speak(device);

            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
            assertThat(redis.send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg("next_seq"))
                    .toString()).isEqualTo("2");
            assertThat(redis.send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg("device_id"))
                    .toString()).isEqualTo("quiet-1");
        }
    }

    private static void speak(DeviceConnection device) {
        device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000), Pcm.silence(16000, 600)),
                16000, 20);
    }

    private boolean exists(String key) {
        return redis.send(Request.cmd(Command.EXISTS).arg(key)).toLong() == 1;
    }
}
