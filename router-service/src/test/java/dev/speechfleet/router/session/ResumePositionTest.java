package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ready} says up to where a session's audio is dispatched; a resuming device resends from
 * there, or says where its audio starts: an overlap is skipped, a gap is reported, and utterance
 * times stay true either way.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ResumePositionTest {

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
        token = Admin.createDevice("resumer-1");
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aNewSessionStartsAtAudioZero() {
        try (DeviceConnection device = DeviceConnection.connect(base, "resumer-1", token)) {
            JsonNode ready = device.send(START).expect("ready", WAIT);

            assertThat(ready.path("audio_ms").asLong()).isZero();
            assertThat(ready.path("resumed").asBoolean()).isFalse();
        }
    }

    @Test
    void aResumeReportsTheAudioTheEarlierSocketDelivered() {
        String sessionId = firstSocketSends(1000);
        try (DeviceConnection again = DeviceConnection.connect(base, "resumer-1", token)) {
            JsonNode ready = again.send(resume(sessionId, "")).expect("ready", WAIT);

            assertThat(ready.path("resumed").asBoolean()).isTrue();
            assertThat(ready.path("audio_ms").asLong()).isEqualTo(1000);
        }
    }

    @Test
    void audioTheDeviceResendsFromBeforeThePositionIsSkipped() {
        String sessionId = firstSocketSends(1000);
        try (DeviceConnection again = DeviceConnection.connect(base, "resumer-1", token)) {
            again.send(resume(sessionId, ",\"audio_ms\":600")).expect("ready", WAIT);
            again.expect("transcript", WAIT);

            // 400 ms of the resend were delivered already: the tone after them sits at 1000 ms, not 1400.
            again.sendFrames(Pcm.concat(Pcm.silence(16000, 400), Pcm.tone(16000, 400, 8000), Pcm.silence(16000, 600)),
                    16000, 20);

            JsonNode transcript = again.expect("transcript", WAIT);
            assertThat(transcript.path("seq").asLong()).isEqualTo(1);
            assertThat(transcript.path("start_ms").asLong()).isBetween(880L, 1000L);
        }
    }

    @Test
    void audioTheDeviceCannotResendIsReportedAsAGap() {
        String sessionId = firstSocketSends(1000);
        try (DeviceConnection again = DeviceConnection.connect(base, "resumer-1", token)) {
            again.send(resume(sessionId, ",\"audio_ms\":3000")).expect("ready", WAIT);
            JsonNode gap = again.expect("error", WAIT);
            assertThat(gap.path("code").asText()).isEqualTo("audio_gap");
            assertThat(gap.path("from_ms").asLong()).isEqualTo(1000);
            assertThat(gap.path("to_ms").asLong()).isEqualTo(3000);
            again.expect("transcript", WAIT);

            again.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000), Pcm.silence(16000, 600)),
                    16000, 20);

            JsonNode transcript = again.expect("transcript", WAIT);
            assertThat(transcript.path("start_ms").asLong()).isBetween(3000L, 3100L);
        }
    }

    @Test
    void aSeqItsRouterTookButNeverDispatchedIsAnsweredWithAnErrorOnResume() {
        String sessionId = firstSocketSends(1000);
        // What a router killed between taking seq 1 and writing its entries leaves behind.
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.session(sessionId)).arg("next_seq").arg("2")
                .arg("dispatching").arg("1"));
        try (DeviceConnection again = DeviceConnection.connect(base, "resumer-1", token)) {
            again.send(resume(sessionId, "")).expect("ready", WAIT);
            assertThat(again.expect("transcript", WAIT).path("seq").asLong()).isZero();

            JsonNode abandoned = again.expect("error", WAIT);
            assertThat(abandoned.path("seq").asLong()).isEqualTo(1);
            assertThat(abandoned.path("code").asText()).isEqualTo("transcription_failed");

            again.sendFrames(Pcm.concat(Pcm.tone(16000, 400, 8000), Pcm.silence(16000, 600)), 16000, 20);
            assertThat(again.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(2);
        }
        assertThat(redis.send(Request.cmd(Command.HEXISTS).arg(StreamKeys.session(sessionId)).arg("dispatching"))
                .toLong()).isZero();
    }

    /**
     * A first socket sends one utterance in {@code ms} of audio and closes; returns the session once
     * the router has recorded where its audio ended.
     */
    private String firstSocketSends(int ms) {
        String sessionId;
        try (DeviceConnection first = DeviceConnection.connect(base, "resumer-1", token)) {
            sessionId = first.send(START).expect("ready", WAIT).path("session_id").asText();
            first.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000),
                    Pcm.silence(16000, ms - 500)), 16000, 20);
            first.send("{\"type\":\"ping\"}");
            // Every frame before the ping was fed once its error is back (a transcript may come first).
            JsonNode message;
            do {
                message = first.next(WAIT);
            } while (!"error".equals(message.path("type").asText()));
        }
        await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 1
                && String.valueOf(ms).equals(audioMs(sessionId)));
        return sessionId;
    }

    private String audioMs(String sessionId) {
        var reply = redis.send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg("audio_ms"));
        return reply == null ? null : reply.toString();
    }

    private static String resume(String sessionId, String extra) {
        return "{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":-1" + extra + "}";
    }
}
