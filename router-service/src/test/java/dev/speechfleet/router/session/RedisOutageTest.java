package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away (its process shut down) while a device speaks: the cut utterance waits in its
 * session and is dispatched once Redis is back (a restarted, empty Redis); only a Redis that stays
 * away for the whole retry window ends the socket with 4503.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(RedisOutageTest.ShortWindow.class)
class RedisOutageTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String START = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\","
            + "\"language\":\"en\"}";

    /** Undispatched utterances are retried for 4 s. */
    public static class ShortWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.dispatch.retry-window", "4s", "router.limits.idle-timeout", "30s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    @Inject
    SessionRegistry registry;

    @ConfigProperty(name = "quarkus.redis.hosts")
    String redisUrl;

    private TestPipeline pipeline;
    /** The Redis this test started in place of the one it shut down; stopped after the class. */
    private static EmbeddedRedis restarted;
    private String token;

    @BeforeEach
    void fleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
        token = Admin.createDevice("outage-1");
    }

    @AfterEach
    void stop() {
        pipeline.close();
        if (!redisUp()) {
            restartRedis();
        }
    }

    @AfterAll
    static void stopRestarted() {
        if (restarted != null) {
            restarted.stop();
        }
    }

    @Test
    void anUtteranceCutWhileRedisIsDownIsDispatchedOnceRedisIsBack() {
        try (DeviceConnection device = DeviceConnection.connect(base, "outage-1", token)) {
            String sessionId = device.send(START).expect("ready", WAIT).path("session_id").asText();
            speak(device);
            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isZero();

            shutDownRedis();
            speak(device);
            // Redis comes back as soon as the cut utterance is seen waiting for it: with the retry backoff
            // (up to 2 s) the last retry inside the 4 s window may come 3 s after the failed dispatch,
            // and all of that is left to Redis' restart and the router's reconnect.
            await().atMost(WAIT).until(() -> registry.bySession(sessionId).map(DeviceSession::hasUndispatched)
                    .orElse(false));
            assertThat(device.isClosed()).isFalse();
            restartRedis();

            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
            assertThat(device.isClosed()).isFalse();
        }
    }

    @Test
    void aDeviceIsToldOnlyOnceRedisStayedAwayForTheWholeRetryWindow() {
        try (DeviceConnection device = DeviceConnection.connect(base, "outage-1", token)) {
            device.send(START).expect("ready", WAIT);

            shutDownRedis();
            long cutAt = System.nanoTime();
            speak(device);

            assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("unavailable");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4503);
            assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        }
    }

    private static void speak(DeviceConnection device) {
        device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                .send("{\"type\":\"flush\"}");
    }

    private void shutDownRedis() {
        try {
            redis.send(Request.cmd(Command.SHUTDOWN).arg("NOSAVE"));
        } catch (RuntimeException expected) {
            // the server closes the connection as it exits
        }
        await().atMost(WAIT).until(() -> !redisUp());
    }

    private void restartRedis() {
        if (restarted != null) {
            restarted.stop();
        }
        restarted = EmbeddedRedis.start(URI.create(redisUrl).getPort());
    }

    private boolean redisUp() {
        try (java.net.Socket probe = new java.net.Socket("127.0.0.1", URI.create(redisUrl).getPort())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
