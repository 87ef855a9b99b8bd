package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.client.DeviceConnection;
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
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A {@code start} is checked against what the providers' consumers published they serve: a language
 * or a sample rate nobody serves is refused before any audio, and a session's key terms reach every
 * audio entry.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class StartCapabilitiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ProviderCapabilities ENGLISH_16K = new ProviderCapabilities(Set.of("en"), Set.of(16000));

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private String token;

    @BeforeEach
    void device() {
        Redis.flush(redis);
        token = Admin.createDevice("caps-1");
    }

    @Test
    void aLanguageNoConsumerServesClosesWith4400() {
        everyProviderServes(ENGLISH_16K);
        try (DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            device.send("{\"type\":\"start\",\"language\":\"de\"}");

            assertError(device.next(WAIT), "invalid_start", "'de'");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
        }
    }

    @Test
    void aSampleRateNoConsumerServesForTheLanguageClosesWith4416() {
        everyProviderServes(ENGLISH_16K);
        try (DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            device.send("{\"type\":\"start\",\"language\":\"en\",\"sample_rate\":8000}");

            assertError(device.next(WAIT), "unsupported_sample_rate", "8000 Hz");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4416);
        }
    }

    @Test
    void aConsensusMemberThatCannotServeTheSampleRateClosesWith4400() {
        everyProviderServes(ENGLISH_16K);
        publish("whisper", new ProviderCapabilities(Set.of("en"), Set.of(8000, 16000)));
        publish("deepgram", new ProviderCapabilities(Set.of("en"), ProviderCapabilities.ANY_SAMPLE_RATE));
        figures.refresh();
        try (DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            device.send("{\"type\":\"start\",\"sample_rate\":8000,\"consensus\":[\"whisper\",\"parakeet\"]}");

            assertError(device.next(WAIT), "invalid_start", "parakeet");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
        }
        try (DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            device.send("{\"type\":\"start\",\"sample_rate\":8000,\"consensus\":[\"whisper\",\"deepgram\"]}")
                    .expect("ready", WAIT);
        }
    }

    @Test
    void theSessionsKeytermsReachEveryAudioEntry() {
        try (TestPipeline whisper = new TestPipeline(redis, new ScriptedProvider("whisper"));
                DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
            device.send("{\"type\":\"start\",\"keyterms\":[\"Kitchen\",\" Hue  lights \",\"kitchen\"]}")
                    .expect("ready", WAIT);
            for (int i = 0; i < 2; i++) {
                device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                        .send("{\"type\":\"flush\"}");
                device.expect("transcript", WAIT);
            }

            assertThat(whisper.provider().calls()).hasSize(2).allSatisfy(chunk ->
                    assertThat(chunk.keyterms()).containsExactly("Kitchen", "Hue lights"));
        }
    }

    @Test
    void keytermsBreakingTheBoundsCloseWith4400() {
        try (DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            device.send("{\"type\":\"start\",\"keyterms\":[\"one two three four five six seven\"]}");

            assertError(device.next(WAIT), "invalid_start", "more than 6 words");
            assertThat(device.awaitClose(WAIT)).isEqualTo(4400);
        }
    }

    @Test
    void aSessionWithoutKeytermsSendsNone() {
        try (TestPipeline whisper = new TestPipeline(redis, new ScriptedProvider("whisper"));
                DeviceConnection device = DeviceConnection.connect(base, "caps-1", token)) {
            await().atMost(WAIT).until(() -> figures.refresh().of("whisper").routable());
            device.send("{\"type\":\"start\"}").expect("ready", WAIT);
            device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 400, 8000)), 16000, 20)
                    .send("{\"type\":\"flush\"}");
            device.expect("transcript", WAIT);

            assertThat(whisper.provider().calls()).singleElement()
                    .satisfies(chunk -> assertThat(chunk.keyterms()).isEmpty());
        }
    }

    private void everyProviderServes(ProviderCapabilities capabilities) {
        Redis.PROVIDERS.forEach(p -> publish(p, capabilities));
        figures.refresh();
    }

    private void publish(String provider, ProviderCapabilities capabilities) {
        redis.send(Request.cmd(Command.SET).arg(StreamKeys.providerCapabilities(provider)).arg(capabilities.toJson()));
    }

    private static void assertError(JsonNode message, String code, String mentioning) {
        assertThat(message.path("type").asText()).isEqualTo("error");
        assertThat(message.path("code").asText()).isEqualTo(code);
        assertThat(message.path("message").asText()).contains(mentioning);
    }
}
