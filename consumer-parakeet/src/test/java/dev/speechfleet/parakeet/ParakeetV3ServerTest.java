package dev.speechfleet.parakeet;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.provider.ModelLanguages;
import dev.speechfleet.core.provider.ProviderCapabilities;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A multilingual v3 deployment behind a community server that needs a model name: the configured
 * languages are published and served, and the model goes in the {@code model} part.
 */
@QuarkusTest
@TestProfile(ParakeetV3ServerTest.V3.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(ParakeetMockServer.class)
class ParakeetV3ServerTest {

    /** parakeet-tdt-0.6b-v3 languages and model name. */
    public static class V3 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parakeet.model", ParakeetMockServer.MODEL,
                    "parakeet.languages", String.join(",", ModelLanguages.PARAKEET_V3));
        }
    }

    @Inject
    RedisStreams redis;

    @Test
    void germanIsSentWithTheConfiguredModel() {
        WireMockServer mock = ParakeetMockServer.server();
        mock.resetAll();
        mock.stubFor(ParakeetMockServer.transcription("de", equalTo("Bearer " + ParakeetMockServer.API_KEY),
                ParakeetMockServer.MODEL).willReturn(ParakeetMockServer.json(200, "{\"text\": \"Licht an.\"}")));
        ConsumerStreams streams = new ConsumerStreams(redis);
        String session = "s-" + UUID.randomUUID();

        streams.enqueue("parakeet", Chunks.chunk(session, 0, List.of("whisper"), "de-AT", List.of()));

        await().atMost(Duration.ofSeconds(15)).until(() -> !streams.hypotheses(session).isEmpty());
        assertThat(streams.hypotheses(session).getFirst().text()).isEqualTo("Licht an.");
        assertThat(streams.hypotheses(session).getFirst().model()).isEqualTo(ParakeetMockServer.MODEL);
        assertThat(mock.findAllUnmatchedRequests()).isEmpty();
    }

    @Test
    void theConfiguredLanguagesArePublishedForTheRouter() throws Exception {
        String stored = redis.send(Request.cmd(Command.GET).arg(StreamKeys.providerCapabilities("parakeet")))
                .toString();

        assertThat(ProviderCapabilities.readFrom(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored)))
                .contains(new ProviderCapabilities(ModelLanguages.PARAKEET_V3, Set.of(16000)));
    }
}
