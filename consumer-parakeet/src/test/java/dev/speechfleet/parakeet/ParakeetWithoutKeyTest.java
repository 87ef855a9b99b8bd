package dev.speechfleet.parakeet;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.testing.ConsumerStreams;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A self-hosted NIM has no auth: without a key the consumer sends no Authorization header at all. */
@QuarkusTest
@TestProfile(ParakeetWithoutKeyTest.NoKey.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(ParakeetMockServer.class)
class ParakeetWithoutKeyTest {

    /** The test profile without {@code parakeet.api-key}. */
    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parakeet.api-key", "");
        }
    }

    @Inject
    RedisStreams redis;

    @Test
    void noKeyMeansNoAuthorizationHeader() {
        WireMockServer mock = ParakeetMockServer.server();
        mock.resetAll();
        mock.stubFor(ParakeetMockServer.transcription("en", absent(), null)
                .willReturn(ParakeetMockServer.json(200, ParakeetMockServer.SUCCESS_BODY)));
        ConsumerStreams streams = new ConsumerStreams(redis);
        String session = "s-" + UUID.randomUUID();

        streams.enqueue("parakeet", Chunks.chunk(session, 0, List.of("whisper")));

        await().atMost(Duration.ofSeconds(15)).until(() -> !streams.hypotheses(session).isEmpty());
        assertThat(streams.hypotheses(session).getFirst().text()).isEqualTo("Hello world.");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")).withoutHeader("Authorization"));
        assertThat(mock.findAllUnmatchedRequests()).isEmpty();
    }
}
