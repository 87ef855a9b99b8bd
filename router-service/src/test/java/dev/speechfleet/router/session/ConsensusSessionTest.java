package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
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
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A consensus session fans each utterance out to every requested provider, the audio stored once. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ConsensusSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline whisper;
    private TestPipeline deepgram;

    @BeforeEach
    void startFleet() {
        Redis.flush(redis);
        whisper = new TestPipeline(redis, new ScriptedProvider("whisper"));
        deepgram = new TestPipeline(redis, new ScriptedProvider("deepgram"));
        await().atMost(WAIT).until(() -> {
            var now = figures.refresh();
            return now.of("whisper").routable() && now.of("deepgram").routable();
        });
    }

    @AfterEach
    void stopFleet() {
        whisper.close();
        deepgram.close();
    }

    @Test
    void eachRequestedProviderGetsTheUtteranceFromOneSharedBlob() {
        String token = Admin.createDevice("council-1");
        try (DeviceConnection device = DeviceConnection.connect(base, "council-1", token)) {
            String sessionId = device.send(Examples.text("start-consensus")).expect("ready", WAIT)
                    .path("session_id").asText();
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 500, 8000)), 16000, 20)
                    .send(Examples.text("flush"));

            assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isZero();
            await().atMost(WAIT).until(() -> whisper.provider().calls().size() == 1
                    && deepgram.provider().calls().size() == 1);
            AudioChunk toWhisper = whisper.provider().calls().getFirst();
            AudioChunk toDeepgram = deepgram.provider().calls().getFirst();
            for (AudioChunk chunk : java.util.List.of(toWhisper, toDeepgram)) {
                assertThat(chunk.chunkId()).isEqualTo(sessionId + ":0");
                assertThat(chunk.mode()).isEqualTo(ChunkMode.CONSENSUS);
                assertThat(chunk.consensusProviders()).containsExactly("whisper", "deepgram");
                assertThat(chunk.fallbackProviders()).isEmpty();
            }
            // Workers load the shared blob and release it; the last release deletes it.
            assertThat(toWhisper.audio()).isEqualTo(toDeepgram.audio());
            await().atMost(WAIT).until(() -> redis.send(Request.cmd(Command.EXISTS)
                    .arg(StreamKeys.audioBlob(sessionId + ":0"))).toLong() == 0);
            await().atMost(WAIT).until(() -> redis.length(StreamKeys.sessionResults(sessionId)) == 2);
            device.send(Examples.text("stop"));
            assertThat(device.awaitClose(WAIT)).isEqualTo(1000);
            assertThat(device.drain()).as("one transcript per seq, whatever the stand-in aggregator wrote")
                    .noneMatch(m -> m.path("type").asText().equals("transcript"));
        }
    }
}
