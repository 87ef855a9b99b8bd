package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.RawDeviceSocket;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline;
import io.micrometer.core.instrument.MeterRegistry;
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
 * A device that never reads again cannot keep its socket: once the router closed it (here as a slow
 * reader) and the device did not take the close within {@code router.delivery.close-timeout}, the TCP
 * connection is reset, so that nothing of it is held any longer.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@TestProfile(WedgedSocketTest.QuickClose.class)
class WedgedSocketTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String START = "{\"type\":\"start\",\"sample_rate\":16000,\"encoding\":\"pcm_s16le\","
            + "\"language\":\"en\"}";
    /** Two megabytes per transcript: a few are far more than any socket buffers hold. */
    private static final String HUGE_TEXT = "blah ".repeat(400_000);

    /** A small outbox, a slow reader after 1 s, and 1 s to take the close. */
    public static class QuickClose implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("router.delivery.outbox-bytes", "8K", "router.delivery.outbox-max-bytes", "64K",
                    "router.delivery.slow-reader-timeout", "1s", "router.delivery.close-timeout", "1s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    @Inject
    MeterRegistry meters;

    private TestPipeline pipeline;

    @BeforeEach
    void fleet() {
        Redis.flush(redis);
        ScriptedProvider provider = new ScriptedProvider("whisper");
        provider.behave((chunk, call) -> new Transcript(HUGE_TEXT, 0.9, List.of(), "en", "t"));
        pipeline = new TestPipeline(redis, provider);
        await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void aClosedSocketWhoseDeviceNeverReadsIsAbortedAfterTheCloseTimeout() {
        double abortedBefore = aborted();
        try (RawDeviceSocket wedged = RawDeviceSocket.connect(base, "wedged-2", Admin.createDevice("wedged-2"), 4096)) {
            wedged.sendText(START);
            wedged.speakUtterances(4);
            // The device reads nothing until its connection is aborted: it is closed as a slow reader and
            // cannot take the close. (websockets-next forgets a socket as soon as its close is sent, so
            // OpenConnections cannot tell whether the connection is still there.)
            await().atMost(WAIT).until(() -> aborted() == abortedBefore + 1);

            assertThat(wedged.readUntilClose(WAIT)).as("what the device reads after the reset: no close frame")
                    .isEmpty();
        }
    }

    private double aborted() {
        return meters.counter("router.sockets.aborted").count();
    }
}
