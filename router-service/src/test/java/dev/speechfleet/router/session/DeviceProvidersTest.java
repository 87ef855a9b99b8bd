package dev.speechfleet.router.session;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device uses only the providers its record allows (default: all), and a consensus fans out to at
 * most {@code router.routing.max-consensus-providers} (3): a refusal is {@code provider_not_allowed}, 4403.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class DeviceProvidersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    private final List<DeviceConnection> clients = new ArrayList<>();
    private final List<TestPipeline> pipelines = new ArrayList<>();

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @AfterEach
    void close() {
        clients.forEach(DeviceConnection::close);
        pipelines.forEach(TestPipeline::close);
    }

    @Test
    void aConsensusOverEveryProviderExceedsTheFanOutCapAndIsRefusedWith4403() {
        DeviceConnection device = connect("payer-1", Admin.createDevice("payer-1"));

        device.send(start("\"whisper\",\"deepgram\",\"assemblyai\",\"parakeet\""));

        assertError(device.next(WAIT), "provider_not_allowed");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4403);
    }

    @Test
    void aConsensusUpToTheCapOverAllowedProvidersIsAccepted() {
        DeviceConnection device = connect("payer-2", Admin.createDevice("payer-2"));

        device.send(start("\"whisper\",\"deepgram\",\"parakeet\""));

        assertThat(device.expect("ready", WAIT).path("session_id").asText()).isNotBlank();
    }

    @Test
    void aConsensusNamingAProviderTheDeviceMayNotUseIsRefusedWith4403() {
        String token = Admin.createDevice("payer-3");
        setProviders("payer-3", List.of("whisper", "deepgram")).then().statusCode(200);
        DeviceConnection device = connect("payer-3", token);

        device.send(start("\"whisper\",\"assemblyai\""));

        assertError(device.next(WAIT), "provider_not_allowed");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4403);
    }

    @Test
    void aConsensusWithinTheDevicesProvidersIsAccepted() {
        String token = Admin.createDevice("payer-4");
        setProviders("payer-4", List.of("whisper", "deepgram")).then().statusCode(200);
        DeviceConnection device = connect("payer-4", token);

        device.send(start("\"deepgram\",\"whisper\""));

        device.expect("ready", WAIT);
    }

    @Test
    void aLanguageNoneOfTheDevicesProvidersServesIsRefusedWith4403() {
        String token = Admin.createDevice("payer-5");
        setProviders("payer-5", List.of("parakeet")).then().statusCode(200);
        DeviceConnection device = connect("payer-5", token);

        device.send("{\"type\":\"start\",\"language\":\"de\"}");

        assertError(device.next(WAIT), "provider_not_allowed");
        assertThat(device.awaitClose(WAIT)).isEqualTo(4403);
    }

    @Test
    void singleModeRoutesOnlyToTheDevicesProvidersWithNoOtherFallback() {
        pipelines.add(new TestPipeline(redis, new ScriptedProvider("whisper")));
        pipelines.add(new TestPipeline(redis, new ScriptedProvider("deepgram")));
        await().atMost(WAIT).until(() -> {
            var now = figures.refresh();
            return now.of("whisper").routable() && now.of("deepgram").routable();
        });
        String token = Admin.createDevice("payer-6");
        setProviders("payer-6", List.of("deepgram")).then().statusCode(200);
        DeviceConnection device = connect("payer-6", token);
        // Unrestricted, the cost policy picks whisper (free); this device may only use deepgram.
        String sessionId = device.send("{\"type\":\"start\",\"policy\":\"cost\"}").expect("ready", WAIT)
                .path("session_id").asText();

        device.sendFrames(Pcm.concat(Pcm.silence(16000, 100), Pcm.tone(16000, 500, 8000)), 16000, 20)
                .send(Examples.text("flush"));

        assertThat(device.expect("transcript", WAIT).path("provider").asText()).isEqualTo("deepgram");
        // What the provider received, not the stream: the worker trims acknowledged entries at any time.
        List<AudioChunk> chunks = pipelines.get(1).provider().calls();
        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.sessionId()).isEqualTo(sessionId);
            assertThat(chunk.fallbackProviders()).isEmpty();
        });
        assertThat(pipelines.getFirst().provider().calls()).isEmpty();
    }

    @Test
    void theAdminApiShowsAndResetsTheDevicesProviders() {
        Admin.createDevice("payer-7");

        setProviders("payer-7", List.of("parakeet", "whisper")).then().statusCode(200)
                .body("providers", org.hamcrest.Matchers.contains("parakeet", "whisper"));
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body("{\"providers\":null}")
                .put("/admin/devices/payer-7/providers").then().statusCode(200)
                .body("providers", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aDeviceMayBeCreatedWithItsProviders() {
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON)
                .body(Map.of("device_id", "payer-8", "providers", List.of("whisper")))
                .post("/admin/devices").then().statusCode(201)
                .body("providers", org.hamcrest.Matchers.contains("whisper"));

        given().auth().oauth2(Admin.TOKEN).get("/admin/devices").then().statusCode(200)
                .body("[0].providers", org.hamcrest.Matchers.contains("whisper"));
    }

    @Test
    void unknownOrNoProvidersAreRefusedByTheAdminApi() {
        Admin.createDevice("payer-9");

        setProviders("payer-9", List.of("whisper", "siri")).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_providers"));
        setProviders("payer-9", List.of()).then().statusCode(400)
                .body("error", org.hamcrest.Matchers.equalTo("invalid_providers"));
        setProviders("nobody", List.of("whisper")).then().statusCode(404);
    }

    private static io.restassured.response.Response setProviders(String deviceId, List<String> providers) {
        return given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(Map.of("providers", providers))
                .put("/admin/devices/" + deviceId + "/providers");
    }

    private static String start(String consensus) {
        return "{\"type\":\"start\",\"consensus\":[" + consensus + "]}";
    }

    private DeviceConnection connect(String deviceId, String token) {
        DeviceConnection device = DeviceConnection.connect(base, deviceId, token);
        clients.add(device);
        return device;
    }

    private static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).as(message.toString()).isEqualTo("error");
        assertThat(message.path("code").asText()).as(message.toString()).isEqualTo(code);
        assertThat(message.path("message").asText()).isNotBlank();
    }
}
