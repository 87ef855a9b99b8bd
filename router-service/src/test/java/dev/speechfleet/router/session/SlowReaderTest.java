package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.RawDeviceSocket;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device that stops reading (its receive buffer full, like a wedged or half-open device) is closed
 * as a slow reader, and while it hangs every other device still gets its transcripts at once.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(SlowReaderTest.SmallOutbox.class)
class SlowReaderTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String START = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\","
            + "\"language\":\"en\"}";
    private static final int UTTERANCES = 6;
    /** Two megabytes per transcript: six of them are far more than any socket buffers hold. */
    private static final String HUGE_TEXT = "blah ".repeat(400_000);

    /** An outbox is full at 8 KiB; a socket full for 2 s is a slow reader. */
    public static class SmallOutbox implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.delivery.outbox-bytes", "8K", "router.delivery.outbox-max-bytes", "64K",
                    "router.delivery.slow-reader-timeout", "2s",
                    // the wedged device reads its close only at the end of the test
                    "router.delivery.close-timeout", "120s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private TestPipeline pipeline;

    @BeforeEach
    void fleet() {
        Redis.flush(redis);
        ScriptedProvider provider = new ScriptedProvider("whisper");
        provider.behave((chunk, call) -> chunk.deviceId().equals("wedged-1")
                ? new Transcript(HUGE_TEXT, 0.9, List.of(), "en", "t") : provider.echo(chunk));
        pipeline = new TestPipeline(redis, provider);
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aDeviceThatStopsReadingNeitherDelaysOthersNorStaysOpen() {
        String wedgedToken = Admin.createDevice("wedged-1");
        String goodToken = Admin.createDevice("good-1");
        try (RawDeviceSocket wedged = RawDeviceSocket.connect(base, "wedged-1", wedgedToken, 4096);
                DeviceConnection good = DeviceConnection.connect(base, "good-1", goodToken)) {
            wedged.sendText(START);
            wedged.speakUtterances(UTTERANCES);
            await().atMost(WAIT).untilAsserted(() -> assertThat(totalResults("wedged-1"))
                    .as("results of the wedged device (provider calls: %d)", pipeline.provider().calls().size())
                    .isEqualTo(UTTERANCES));

            good.send(START).expect("ready", WAIT);
            for (int i = 0; i < 3; i++) {
                good.send(Pcm.tone(16000, 100, 8000));
            }
            good.send("{\"type\":\"flush\"}");
            // The wedged device reads nothing before its close is awaited below, so a delivery held up
            // by it would not come at all; the budget is only for a loaded machine.
            assertThat(good.expect("transcript", WAIT).path("seq").asLong()).isZero();

            // the close frame queues behind a 2 MB transcript already in flight, which the wedged
            // device's 4 KiB receive buffer drains slowly on a loaded machine
            assertThat(wedged.readUntilClose(Duration.ofSeconds(45))).hasValue(4420);
        }
    }

    /** Results written for the device's sessions, whatever the session id. */
    private long totalResults(String deviceId) {
        return pipeline.provider().calls().stream().filter(c -> c.deviceId().equals(deviceId))
                .map(c -> StreamKeys.sessionResults(c.sessionId())).distinct().mapToLong(redis::length).sum();
    }
}
