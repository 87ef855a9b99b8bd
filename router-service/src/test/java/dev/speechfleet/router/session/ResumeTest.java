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
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A device drops mid-session, reconnects with last_seq and gets every missed transcript once, in order. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private final CountDownLatch release = new CountDownLatch(1);
    private TestPipeline pipeline;
    private String token;

    @BeforeEach
    void startFleet() {
        Redis.flush(redis);
        // seq 0 is answered at once; later ones only once the device has dropped.
        ScriptedProvider provider = new ScriptedProvider("whisper").behave((chunk, call) -> {
            if (chunk.seq() > 0 && !awaitRelease()) {
                throw new dev.speechfleet.core.provider.TranscriptionException(
                        dev.speechfleet.core.stream.FailureKind.RETRYABLE, "test gate not released");
            }
            return new dev.speechfleet.core.provider.Transcript("words of " + chunk.seq(), 0.8, List.of(), "en", "t");
        });
        pipeline = new TestPipeline(redis, provider);
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
        token = Admin.createDevice("roamer-1");
    }

    @AfterEach
    void stopFleet() {
        release.countDown();
        pipeline.close();
    }

    @Test
    void everyMissedTranscriptArrivesAfterResumeInOrderNoneTwice() {
        DeviceConnection first = DeviceConnection.connect(base, "roamer-1", token);
        String sessionId = first.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();
        speak(first, 4);
        JsonNode received = first.expect("transcript", WAIT);
        assertThat(received.path("seq").asLong()).isZero();
        // Audio still in flight when a device drops is lost with the connection: drop once all four are enqueued.
        await().atMost(WAIT).until(() -> pipeline.provider().calls().size() == 4);

        first.abort();
        release.countDown();
        await().atMost(WAIT).until(() -> redis.length(StreamKeys.sessionResults(sessionId)) == 4);

        try (DeviceConnection again = DeviceConnection.connect(base, "roamer-1", token)) {
            again.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":0,"
                    + "\"sample_rate\":16000,\"encoding\":\"pcm_s16le\",\"language\":\"en\"}");
            JsonNode ready = again.expect("ready", WAIT);
            assertThat(ready.path("resumed").asBoolean()).isTrue();
            assertThat(ready.path("session_id").asText()).isEqualTo(sessionId);

            List<Long> replayed = new ArrayList<>();
            long lastEndMs = 0;
            for (int i = 0; i < 3; i++) {
                JsonNode t = again.expect("transcript", WAIT);
                assertThat(t.path("text").asText()).isEqualTo("words of " + t.path("seq").asLong());
                replayed.add(t.path("seq").asLong());
                lastEndMs = t.path("end_ms").asLong();
            }
            assertThat(replayed).containsExactly(1L, 2L, 3L);

            speak(again, 1);
            JsonNode next = again.expect("transcript", WAIT);
            assertThat(next.path("seq").asLong())
                    .as("the next message is the new utterance: nothing was sent twice").isEqualTo(4);
            assertThat(next.path("start_ms").asLong()).as("the resumed session's clock goes on")
                    .isGreaterThanOrEqualTo(lastEndMs);
        }
    }

    @Test
    void resumingWithoutLastSeqReplaysTheWholeSession() {
        release.countDown();
        DeviceConnection first = DeviceConnection.connect(base, "roamer-1", token);
        String sessionId = first.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();
        speak(first, 2);
        first.expect("transcript", WAIT);
        first.expect("transcript", WAIT);
        first.abort();

        try (DeviceConnection again = DeviceConnection.connect(base, "roamer-1", token)) {
            again.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\"}").expect("ready", WAIT);

            assertThat(again.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(0);
            assertThat(again.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void resumingOnANewSocketClosesTheOldOne() {
        release.countDown();
        DeviceConnection first = DeviceConnection.connect(base, "roamer-1", token);
        String sessionId = first.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();

        try (DeviceConnection again = DeviceConnection.connect(base, "roamer-1", token)) {
            again.send("{\"type\":\"start\",\"session_id\":\"" + sessionId + "\",\"last_seq\":-1}")
                    .expect("ready", WAIT);

            assertThat(first.expect("error", WAIT).path("code").asText()).isEqualTo("session_replaced");
            assertThat(first.awaitClose(WAIT)).isEqualTo(4411);
        }
    }

    private boolean awaitRelease() {
        try {
            return release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void speak(DeviceConnection device, int utterances) {
        for (int i = 0; i < utterances; i++) {
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20);
            device.send(Examples.text("flush"));
        }
    }
}
