package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle and maximum-duration limits, shortened so that they trip in seconds. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SessionLimitsTest.ShortLimits.class)
class SessionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(6);

    /** Idle after 1 s, sessions end after 2 s. */
    public static class ShortLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.limits.idle-timeout", "1s", "router.limits.max-duration", "2s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private String token;

    @BeforeEach
    void device() {
        Redis.flush(redis);
        token = Admin.createDevice("limits-1");
    }

    @Test
    void anUtteranceInProgressWhenTheSessionGoesIdleIsStillTranscribed() {
        try (TestPipeline pipeline = pipeline(); DeviceConnection device = DeviceConnection.connect(base, "limits-1", token)) {
            String sessionId = device.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20);

            assertThat(device.awaitClose(WAIT)).isEqualTo(4408);
            await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 1);
            AudioChunk cut = pipeline.provider().calls().getFirst();
            assertThat(cut.sessionId()).isEqualTo(sessionId);
            assertThat(cut.durationMs()).isGreaterThanOrEqualTo(400);
        }
    }

    @Test
    void anUtteranceInProgressAtTheMaximumDurationIsStillTranscribed() {
        ScheduledExecutorService streaming = Executors.newSingleThreadScheduledExecutor();
        try (TestPipeline pipeline = pipeline(); DeviceConnection device = DeviceConnection.connect(base, "limits-1", token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);
            streaming.scheduleAtFixedRate(() -> device.send(Pcm.tone(16000, 100, 8000)), 0, 100, TimeUnit.MILLISECONDS);

            assertThat(device.awaitClose(WAIT)).isEqualTo(4410);
            await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 1);
            assertThat(pipeline.provider().calls().getFirst().durationMs()).isGreaterThanOrEqualTo(1500);
        } finally {
            streaming.shutdownNow();
        }
    }

    private TestPipeline pipeline() {
        TestPipeline pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
        return pipeline;
    }

    @Test
    void aSilentSessionIsClosedAsIdleWith4408() {
        try (DeviceConnection device = DeviceConnection.connect(base, "limits-1", token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);

            assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("idle_timeout");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4408);
        }
    }

    @Test
    void aSocketThatNeverStartsIsClosedAsIdle() {
        try (DeviceConnection device = DeviceConnection.connect(base, "limits-1", token)) {
            assertThat(device.awaitClose(WAIT)).isEqualTo(4408);
        }
    }

    @Test
    void aSessionIsClosedAtItsMaximumDurationWith4410() {
        ScheduledExecutorService streaming = Executors.newSingleThreadScheduledExecutor();
        try (DeviceConnection device = DeviceConnection.connect(base, "limits-1", token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);
            streaming.scheduleAtFixedRate(() -> device.send(Pcm.silence(16000, 100)), 0, 100, TimeUnit.MILLISECONDS);

            assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("max_duration");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4410);
        } finally {
            streaming.shutdownNow();
        }
    }
}
