package dev.speechfleet.deepgram;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
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
 * A model outside the documented table with its languages configured, and the model-improvement
 * opt-out: {@code mip_opt_out=true} goes with every request, key terms (Nova-3 only) do not, and the
 * consumer publishes the configured languages.
 */
@QuarkusTest
@TestProfile(DeepgramOtherModelTest.Nova2OptedOut.class)
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(DeepgramMockServer.class)
class DeepgramOtherModelTest {

    /** nova-2 for English and German, opted out of the model improvement programme. */
    public static class Nova2OptedOut implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deepgram.model", "nova-2", "deepgram.languages", "en,de", "deepgram.mip-opt-out", "true");
        }
    }

    @Inject
    RedisStreams redis;

    @Test
    void optOutIsSentAndKeytermsAreNotForAModelOtherThanNova3() {
        WireMockServer mock = DeepgramMockServer.server();
        mock.resetAll();
        mock.stubFor(DeepgramMockServer.listen("nova-2", "de", List.of(), true)
                .willReturn(DeepgramMockServer.json(200, DeepgramMockServer.SUCCESS_BODY)));
        ConsumerStreams streams = new ConsumerStreams(redis);
        String session = "s-" + UUID.randomUUID();

        streams.enqueue("deepgram", Chunks.chunk(session, 0, List.of("whisper"), "de", List.of("Kitchen")));

        await().atMost(Duration.ofSeconds(15)).until(() -> !streams.hypotheses(session).isEmpty());
        assertThat(streams.hypotheses(session).getFirst().ok()).isTrue();
        // Entries an earlier test class left pending may be redelivered to this worker: look at German only.
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/listen")).withQueryParam("language", equalTo("de"))
                .withQueryParam("mip_opt_out", equalTo("true")));
        assertThat(mock.findAllUnmatchedRequests()).noneMatch(r -> r.getUrl().contains("language=de"));
    }

    @Test
    void theConfiguredLanguagesArePublishedForTheRouter() throws Exception {
        String stored = redis.send(Request.cmd(Command.GET).arg(StreamKeys.providerCapabilities("deepgram")))
                .toString();

        assertThat(ProviderCapabilities.readFrom(new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored)))
                .contains(new ProviderCapabilities(Set.of("en", "de"), ProviderCapabilities.ANY_SAMPLE_RATE));
    }
}
