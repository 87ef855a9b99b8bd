package dev.speechfleet.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fleet that serves only some providers (issue 10, path 4): utterances never wait on a provider
 * nobody consumes. The device hears about every utterance well before it stops, through a real
 * fleet-core worker, the router's routing and its stranded-entry sweeper, on real Redis.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class UnservedProvidersTest {

    /** Far below stop + drain (5 s here) + the 30 s the device waited in the field. */
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline parakeet;
    private final ScheduledExecutorService whisperHealth = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void flush() {
        Redis.flush(redis);
    }

    @AfterEach
    void stopFleet() {
        whisperHealth.shutdownNow();
        if (parakeet != null) {
            parakeet.close();
        }
    }

    @Test
    void aParakeetOnlyFleetAnsweringBadRequestGivesAnErrorForEveryUtteranceBeforeStop() {
        parakeet = new TestPipeline(redis, new ScriptedProvider("parakeet").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400: {\"error\":\"unsupported audio\"}");
        }));
        await().atMost(WAIT).until(() -> figures.refresh().of("parakeet").routable());
        String token = Admin.createDevice("field-1");
        try (DeviceConnection device = DeviceConnection.connect(base, "field-1", token)) {
            device.send(Examples.text("start")).expect("ready", WAIT);
            for (int i = 0; i < 3; i++) {
                device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                        .send(Examples.text("flush"));
            }

            List<JsonNode> errors = new ArrayList<>();
            for (int seq = 0; seq < 3; seq++) {
                errors.add(device.expect("error", WAIT));
            }

            assertThat(errors).extracting(e -> e.path("code").asText()).containsOnly("transcription_failed");
            assertThat(errors).extracting(e -> e.path("seq").asLong()).containsExactly(0L, 1L, 2L);
            assertThat(redis.length(StreamKeys.audioStream("whisper"))).as("nothing parked on whisper").isZero();
        }
    }

    @Test
    void anUtteranceStrandedOnAProviderWhoseConsumersVanishedIsMovedAndTranscribed() {
        parakeet = new TestPipeline(redis, new ScriptedProvider("parakeet"));
        // A Whisper consumer that created its group and reports health, until it dies (below).
        redis.createGroup(StreamKeys.audioStream("whisper"), StreamKeys.workerGroup("whisper"));
        whisperHealth.scheduleWithFixedDelay(() -> reportHealth("whisper", "whisper-gone", System.currentTimeMillis()),
                0, 200, TimeUnit.MILLISECONDS);
        String token = Admin.createDevice("field-2");
        try (DeviceConnection device = DeviceConnection.connect(base, "field-2", token)) {
            await().atMost(WAIT).until(() -> {
                FiguresSnapshot now = figures.refresh();
                return now.of("parakeet").routable() && now.of("whisper").routable();
            });
            // Parakeet has not reported a p95 yet (2 s assumed), Whisper says 100 ms: latency picks Whisper.
            device.send("{\"type\":\"start\",\"policy\":\"latency\"}").expect("ready", WAIT);
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                    .send(Examples.text("flush"));
            await().atMost(WAIT).until(() -> redis.length(StreamKeys.audioStream("whisper")) == 1);
            whisperHealth.shutdownNow();
            // The device goes on streaming (silence) while it waits, as a device in the field does.
            ScheduledExecutorService microphone = Executors.newSingleThreadScheduledExecutor();
            microphone.scheduleAtFixedRate(() -> device.send(Pcm.silence(16000, 100)), 0, 100, TimeUnit.MILLISECONDS);
            JsonNode transcript;
            try {
                transcript = device.expect("transcript", Duration.ofSeconds(30));
            } finally {
                microphone.shutdownNow();
            }

            assertThat(transcript.path("seq").asLong()).isZero();
            assertThat(transcript.path("provider").asText()).isEqualTo("parakeet");
            // the sweeper adds the re-routed entry to Parakeet's stream before it acknowledges it on Whisper's,
            // so the transcript can reach the device a moment before the ack
            await().atMost(WAIT).untilAsserted(() -> assertThat(redis.pendingSummary(
                    StreamKeys.audioStream("whisper"), StreamKeys.workerGroup("whisper")).count())
                    .as("nothing left pending on whisper").isZero());
            // The sweeper leaves after its round, which may end after the transcript reached the device.
            await("the sweeper left the group once done").atMost(WAIT).until(() -> redis.consumers(
                    StreamKeys.audioStream("whisper"), StreamKeys.workerGroup("whisper")).isEmpty());
        }
    }

    @Test
    void aConsensusOverProvidersNobodyConsumesEndsWithAnErrorResultBeforeStop() {
        parakeet = new TestPipeline(redis, new ScriptedProvider("parakeet"));
        await().atMost(WAIT).until(() -> figures.refresh().of("parakeet").routable());
        String token = Admin.createDevice("field-3");
        try (DeviceConnection device = DeviceConnection.connect(base, "field-3", token)) {
            device.send(Examples.text("start-consensus")).expect("ready", WAIT);
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                    .send(Examples.text("flush"));

            JsonNode error = device.expect("error", WAIT);

            assertThat(error.path("code").asText()).isEqualTo("transcription_failed");
            assertThat(error.path("seq").asLong()).isZero();
            // the sweeper writes a taken entry's error hypothesis before it acknowledges the entry, so
            // the error can reach the device a moment before the ack
            for (String provider : List.of("whisper", "deepgram")) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(redis.pendingSummary(
                        StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).count())
                        .as("nothing left pending on %s", provider).isZero());
            }
        }
    }

    private void reportHealth(String provider, String consumer, long at) {
        ProviderHealth health = new ProviderHealth(consumer, CircuitState.CLOSED, 100, 0.1, 1, at);
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth(provider)).arg(consumer)
                .arg(health.toJson()));
    }
}
