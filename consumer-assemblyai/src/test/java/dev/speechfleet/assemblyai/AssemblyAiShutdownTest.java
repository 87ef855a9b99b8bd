package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.TRANSCRIPT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ConsumerStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.worker.StreamWorker;
import dev.speechfleet.core.worker.WorkerLauncher;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker that stops does not go on polling AssemblyAI until its grace period runs out: polling ends
 * at once, the chunk stays pending with its transcript recorded, for the worker that takes it over.
 */
@QuarkusTest
@TestProfile(AssemblyAiShutdownTest.LongPolls.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(AssemblyAiMockServer.class)
class AssemblyAiShutdownTest {

    /** Polls that could go on for a minute, and a grace period of half a minute. */
    public static class LongPolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("assemblyai.poll-deadline", "60s", "assemblyai.poll-max-interval", "100ms",
                    "fleet.worker.shutdown-grace", "30s");
        }
    }

    @Inject
    RedisStreams redis;
    @Inject
    WorkerLauncher workers;

    @Test
    void pollingStopsAtOnceWhenTheWorkerStopsAndTheChunkStaysPending() {
        WireMockServer mock = AssemblyAiMockServer.server();
        mock.resetAll();
        mock.stubFor(AssemblyAiMockServer.upload().willReturn(AssemblyAiMockServer.uploaded()));
        mock.stubFor(AssemblyAiMockServer.submit().willReturn(AssemblyAiMockServer.transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(AssemblyAiMockServer.poll(TRANSCRIPT_ID)
                .willReturn(AssemblyAiMockServer.transcript(TRANSCRIPT_ID, "processing")));
        ConsumerStreams streams = new ConsumerStreams(redis);
        String session = "s-" + UUID.randomUUID();
        streams.enqueue("assemblyai", Chunks.chunk(session, 0, List.of("deepgram")));
        await().atMost(Duration.ofSeconds(15)).until(() -> pollsOf(mock) >= 2);
        StreamWorker worker = workers.worker("assemblyai").orElseThrow();

        long started = System.nanoTime();
        worker.stop();
        Duration stopping = Duration.ofNanos(System.nanoTime() - started);
        int pollsAtStop = pollsOf(mock);

        assertThat(stopping).as("stop waited for the poll loop").isLessThan(Duration.ofSeconds(10));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> pollsOf(mock) == pollsAtStop);
        assertThat(streams.pending("assemblyai")).isEqualTo(1);
        assertThat(streams.hypotheses(session)).isEmpty();
        assertThat(streams.queued("deepgram", session)).as("not re-routed").isEmpty();
        assertThat(redis.send(Request.cmd(Command.HGET).arg(StreamKeys.assemblyAiTranscript(session + ":0"))
                .arg("transcript_id")).toString()).isEqualTo(TRANSCRIPT_ID);
    }

    private static int pollsOf(WireMockServer mock) {
        return mock.countRequestsMatching(getRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID))
                .build()).getCount();
    }
}
