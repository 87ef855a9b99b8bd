package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RecordedSpeech;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole device session against real Redis, a real fleet-core worker and a stand-in aggregator. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class FullSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline pipeline;

    @BeforeEach
    void startFleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
    }

    @AfterEach
    void stopFleet() {
        pipeline.close();
    }

    @Test
    void startAudioFlushTranscriptStop() {
        String token = Admin.createDevice("speaker-1");
        byte[] speech = RecordedSpeech.pcm("Turn off the lights in the living room");
        try (DeviceConnection device = DeviceConnection.connect(base, "speaker-1", token)) {
            device.send("{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\",\"language\":\"en\","
                    + "\"policy\":\"latency\"}");
            JsonNode ready = device.expect("ready", WAIT);
            String sessionId = ready.path("session_id").asText();
            assertThat(ready.path("resumed").asBoolean()).isFalse();

            device.sendFrames(Pcm.concat(Pcm.silence(16000, 300), speech), 16000, 20);
            device.send("{\"type\":\"flush\"}");

            JsonNode transcript = device.expect("transcript", WAIT);
            assertThat(transcript.path("seq").asLong()).isZero();
            assertThat(transcript.path("text").asText()).isEqualTo("whisper heard 0");
            assertThat(transcript.path("provider").asText()).isEqualTo("whisper");
            assertThat(transcript.path("end_ms").asLong()).isGreaterThan(transcript.path("start_ms").asLong());
            List<StreamEntry> results = redis.range(StreamKeys.sessionResults(sessionId), "-", "+", 10);
            assertThat(transcript.path("id").asText()).isEqualTo(results.getFirst().id());

            device.send("{\"type\":\"stop\"}");
            assertThat(device.awaitClose(WAIT)).isEqualTo(1000);
        }
    }

    @Test
    void theEntryCarriesTheRouteAndTheSpeech() {
        String token = Admin.createDevice("speaker-2");
        byte[] speech = RecordedSpeech.pcm("What time is it");
        try (DeviceConnection device = DeviceConnection.connect(base, "speaker-2", token)) {
            device.send("{\"type\":\"start\",\"policy\":\"cost\"}");
            String sessionId = device.expect("ready", WAIT).path("session_id").asText();
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 300), speech), 16000, 40).send("{\"type\":\"flush\"}");
            device.expect("transcript", WAIT);

            AudioChunk chunk = pipeline.provider().calls().getFirst();
            assertThat(chunk.chunkId()).isEqualTo(sessionId + ":0");
            assertThat(chunk.deviceId()).isEqualTo("speaker-2");
            assertThat(chunk.policy()).isEqualTo("cost");
            assertThat(chunk.mode()).isEqualTo(ChunkMode.SINGLE);
            assertThat(chunk.routeReason()).startsWith("policy=cost").contains("candidates=whisper");
            assertThat(chunk.originalProvider()).isEqualTo("whisper");
            assertThat(chunk.fallbackProviders()).as("only whisper is served here; nobody consumes the others")
                    .isEmpty();
            assertThat(chunk.sampleRate()).isEqualTo(16000);
            assertThat(chunk.durationMs()).isBetween((long) speech.length / 32 - 150, (long) speech.length / 32 + 250);
            assertThat(chunk.audio()).hasSize((int) chunk.durationMs() * 32);
        }
    }

    @Test
    void aSessionWithoutPolicyRoutesWithTheDevicesDefaultPolicy() {
        String token = Admin.createDevice("speaker-4");
        io.restassured.RestAssured.given().auth().oauth2(Admin.TOKEN).contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("policy", "accuracy")).put("/admin/devices/speaker-4/policy").then()
                .statusCode(200);
        try (DeviceConnection device = DeviceConnection.connect(base, "speaker-4", token)) {
            device.send("{\"type\":\"start\"}").expect("ready", WAIT);
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                    .send("{\"type\":\"flush\"}");

            device.expect("transcript", WAIT);
            assertThat(pipeline.provider().calls().getFirst().policy()).isEqualTo("accuracy");
        }
    }

    @Test
    void utterancesSeparatedByPausesGetConsecutiveSeqsInOrder() {
        String token = Admin.createDevice("speaker-3");
        byte[] one = RecordedSpeech.pcm("Good morning");
        byte[] two = RecordedSpeech.pcm("Start the coffee machine");
        try (DeviceConnection device = DeviceConnection.connect(base, "speaker-3", token)) {
            device.send("{\"type\":\"start\"}").expect("ready", WAIT);
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 300), one, Pcm.silence(16000, 900), two,
                    Pcm.silence(16000, 900)), 16000, 100);

            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(0);
            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
            assertThat(pipeline.provider().calls()).hasSize(2);
        }
    }
}
