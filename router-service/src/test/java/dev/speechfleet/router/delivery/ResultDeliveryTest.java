package dev.speechfleet.router.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisHashes;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.SessionFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline.Results;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Results written to a session stream (as the aggregator does) reach the socket in seq order,
 * whatever order they are written in. No provider consumer runs: the test plays the aggregator.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ResultDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(8);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    ResultPump pump;

    private DeviceConnection device;
    private String sessionId;

    @BeforeEach
    void startSession() {
        Redis.flush(redis);
        String token = Admin.createDevice("listener-1");
        device = DeviceConnection.connect(base, "listener-1", token);
        sessionId = device.send(Examples.text("start")).expect("ready", WAIT).path("session_id").asText();
    }

    @AfterEach
    void closeSession() {
        device.close();
    }

    @Test
    void resultsWrittenOutOfOrderReachTheDeviceInSeqOrder() {
        utterances(3);

        String id2 = Results.write(redis, Results.ok(sessionId, 2, "two"));
        String id0 = Results.write(redis, Results.ok(sessionId, 0, "zero"));
        String id1 = Results.write(redis, Results.ok(sessionId, 1, "one"));

        assertTranscript(device.expect("transcript", WAIT), 0, "zero", id0);
        assertTranscript(device.expect("transcript", WAIT), 1, "one", id1);
        assertTranscript(device.expect("transcript", WAIT), 2, "two", id2);
    }

    @Test
    void aResultWhosePredecessorNeverArrivesIsHeldThenTheGapIsReported() {
        utterances(2);

        Results.write(redis, Results.ok(sessionId, 1, "one"));

        JsonNode missing = device.expect("error", WAIT);
        assertThat(missing.path("code").asText()).isEqualTo("result_missing");
        assertThat(missing.path("seq").asLong()).isZero();
        assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
    }

    @Test
    void aFailedUtteranceIsAnErrorForItsSeqAndLaterTranscriptsFollow() {
        utterances(2);

        Results.write(redis, Results.failed(sessionId, 0));
        Results.write(redis, Results.ok(sessionId, 1, "one"));

        JsonNode error = device.expect("error", WAIT);
        assertThat(error.path("code").asText()).isEqualTo("transcription_failed");
        assertThat(error.path("seq").asLong()).isZero();
        assertThat(device.expect("transcript", WAIT).path("seq").asLong()).isEqualTo(1);
    }

    @Test
    void theAggregatorsNotificationReachesThePump() {
        utterances(1);
        long before = pump.notificationsReceived();

        Results.write(redis, Results.ok(sessionId, 0, "heard"));

        device.expect("transcript", WAIT);
        assertThat(pump.subscribed()).isTrue();
        assertThat(pump.notificationsReceived()).isGreaterThan(before);
    }

    @Test
    void aResultWithoutNotificationIsFoundByTheSweep() {
        utterances(1);

        String id = redis.add(StreamKeys.sessionResults(sessionId),
                TranscriptResultCodec.encode(Results.ok(sessionId, 0, "quiet")));

        assertTranscript(device.expect("transcript", WAIT), 0, "quiet", id);
    }

    @Test
    void aDuplicateResultIsDeliveredOnce() {
        utterances(2);

        Results.write(redis, Results.ok(sessionId, 0, "zero"));
        Results.write(redis, Results.ok(sessionId, 0, "zero again"));
        Results.write(redis, Results.ok(sessionId, 1, "one"));

        assertThat(device.expect("transcript", WAIT).path("text").asText()).isEqualTo("zero");
        assertThat(device.expect("transcript", WAIT).path("text").asText()).isEqualTo("one");
        device.send(Examples.text("stop"));
        assertThat(device.awaitClose(WAIT)).isEqualTo(1000);
        assertThat(device.drain()).isEmpty();
    }

    @Test
    void aMalformedResultEntryIsSkippedAndTheSessionGoesOn() {
        utterances(1);

        redis.add(StreamKeys.sessionResults(sessionId), dev.speechfleet.core.stream.EntryFields.create()
                .put("status", "maybe"));
        Results.write(redis, Results.ok(sessionId, 0, "fine"));

        assertThat(device.expect("transcript", WAIT).path("text").asText()).isEqualTo("fine");
    }

    @Test
    void stopWaitsForOutstandingTranscriptsThenClosesNormally() {
        utterances(1);

        device.send(Examples.text("stop"));
        Results.write(redis, Results.ok(sessionId, 0, "last words"));

        assertThat(device.expect("transcript", WAIT).path("text").asText()).isEqualTo("last words");
        assertThat(device.awaitClose(WAIT)).isEqualTo(1000);
    }

    /**
     * Speaks {@code count} utterances, each cut by a flush, and waits until they are enqueued: every
     * seq taken and the last one confirmed. Read from the session hash, not the provider stream: with
     * no consumer here, the router's stranded-entry sweeper takes entries older than its deadline off
     * the stream.
     */
    private void utterances(int count) {
        for (int i = 0; i < count; i++) {
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20);
            device.send(Examples.text("flush"));
        }
        await().atMost(WAIT).until(() -> {
            Map<String, String> session = RedisHashes.getAll(redis, StreamKeys.session(sessionId));
            return String.valueOf(count).equals(session.get(SessionFields.NEXT_SEQ))
                    && !session.containsKey(SessionFields.DISPATCHING);
        });
    }

    private static void assertTranscript(JsonNode message, long seq, String text, String entryId) {
        assertThat(message.path("seq").asLong()).isEqualTo(seq);
        assertThat(message.path("text").asText()).isEqualTo(text);
        assertThat(message.path("id").asText()).isEqualTo(entryId);
        assertThat(message.path("provider").asText()).isEqualTo("whisper");
    }
}
