package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.TRANSCRIPT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ConsumerStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With {@code assemblyai.delete-after-read}, AssemblyAI keeps nothing once the text is read. */
@QuarkusTest
@TestProfile(AssemblyAiRetentionTest.DeleteAfterRead.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(AssemblyAiMockServer.class)
class AssemblyAiRetentionTest {

    /** Data retention on. */
    public static class DeleteAfterRead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("assemblyai.delete-after-read", "true");
        }
    }

    @Inject
    RedisStreams redis;

    @Test
    void theTranscriptIsDeletedAfterItsTextIsReadAndTheChunkRecordWithIt() {
        WireMockServer mock = AssemblyAiMockServer.server();
        mock.resetAll();
        mock.stubFor(AssemblyAiMockServer.upload().willReturn(AssemblyAiMockServer.uploaded()));
        mock.stubFor(AssemblyAiMockServer.submit().willReturn(AssemblyAiMockServer.transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(AssemblyAiMockServer.poll(TRANSCRIPT_ID).willReturn(AssemblyAiMockServer.completed(TRANSCRIPT_ID)));
        mock.stubFor(AssemblyAiMockServer.delete(TRANSCRIPT_ID).willReturn(AssemblyAiMockServer.json(200, """
                {"id": "%s", "status": "completed", "audio_url": "http://deleted_by_user", "text": "Deleted by user.",
                 "words": null, "error": null}""".formatted(TRANSCRIPT_ID))));
        ConsumerStreams streams = new ConsumerStreams(redis);
        String session = "s-" + UUID.randomUUID();

        streams.enqueue("assemblyai", Chunks.chunk(session, 0, List.of("deepgram")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !streams.hypotheses(session).isEmpty());
        assertThat(streams.hypotheses(session).getFirst().text()).isEqualTo("Hello world.");
        mock.verify(1, deleteRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID)));
        List<LoggedRequest> order = mock.getAllServeEvents().stream().map(e -> e.getRequest())
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        assertThat(order.getLast().getMethod().getName()).as("deleted after the last read").isEqualTo("DELETE");
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(StreamKeys.assemblyAiTranscript(session + ":0")))
                .toInteger()).isZero();
        assertThat(mock.findAllUnmatchedRequests()).isEmpty();
    }
}
