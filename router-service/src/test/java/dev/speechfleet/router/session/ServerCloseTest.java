package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
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
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closes the server makes (not the device) still cut and dispatch the utterance in progress: the
 * session resumed on another socket of this instance, and a revoked device.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ServerCloseTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String START = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\","
            + "\"language\":\"en\"}";

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline pipeline;
    private String token;

    @BeforeEach
    void fleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
        token = Admin.createDevice("closer-1");
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    /** Messages are handled in order: once the answer to a bad message is back, every frame before it was fed. */
    private static void processed(DeviceConnection device) {
        device.send("{\"type\":\"ping\"}");
        assertThat(device.expect("error", WAIT).path("code").asText()).isEqualTo("unknown_type");
    }

    @Test
    void anUtteranceInProgressWhenTheSessionIsResumedOnAnotherSocketIsDispatched() {
        try (DeviceConnection first = DeviceConnection.connect(base, "closer-1", token)) {
            String sessionId = first.send(START).expect("ready", WAIT).path("session_id").asText();
            first.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20);
            processed(first);

            try (DeviceConnection second = DeviceConnection.connect(base, "closer-1", token)) {
                second.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":-1}")
                        .expect("ready", WAIT);

                assertThat(first.awaitClose(WAIT)).isEqualTo(4411);
                await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 1);
                AudioChunk cut = pipeline.provider().calls().getFirst();
                assertThat(cut.seq()).isZero();
                assertThat(cut.durationMs()).isGreaterThanOrEqualTo(400);
                assertThat(second.expect("transcript", WAIT).path("seq").asLong()).isZero();
            }
        }
    }

    @Test
    void anUtteranceInProgressWhenTheDeviceIsRevokedIsDispatched() {
        try (DeviceConnection device = DeviceConnection.connect(base, "closer-1", token)) {
            String sessionId = device.send(START).expect("ready", WAIT).path("session_id").asText();
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20);
            processed(device);

            Admin.revoke("closer-1");

            assertThat(device.awaitClose(WAIT)).isEqualTo(4401);
            await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 1);
            assertThat(pipeline.provider().calls().getFirst().sessionId()).isEqualTo(sessionId);
        }
    }
}
