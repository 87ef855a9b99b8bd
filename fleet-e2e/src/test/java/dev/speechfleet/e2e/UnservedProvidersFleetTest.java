package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.client.SampleSpeech;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.stream.SessionFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The field report of issue 10, path 4, with every service its own process: a fleet that serves only
 * Parakeet, whose endpoint answers HTTP 400. Every utterance must reach the device as an error
 * result while the device is still streaming, not parked on a stream nobody consumes until stop.
 */
class UnservedProvidersFleetTest {

    private static final String ADMIN_TOKEN = "e2e-admin";
    private static final int TRAILING_SILENCE_MS = 6000;

    private TestRedis redis;
    private CloudMocks cloud;
    private final List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = TestRedis.start();
        cloud = new CloudMocks();
    }

    @AfterEach
    void stopFleet() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
        cloud.close();
        redis.close();
    }

    @Test
    void aParakeetOnlyFleetAnsweringBadRequestTellsTheDeviceOfEveryUtteranceBeforeStop() throws Exception {
        int routerPort = EmbeddedRedis.freePort();
        Map<String, String> common = Map.of("quarkus.redis.hosts", redis.url(),
                "fleet.worker.poll-timeout", "200ms", "fleet.worker.maintenance-interval", "500ms",
                "fleet.worker.claim-idle", "3s");
        start("router", "router-service", routerPort, common, Map.of("router.admin.token", ADMIN_TOKEN,
                "router.routing.refresh-interval", "200ms"));
        start("aggregator", "results-aggregator", EmbeddedRedis.freePort(), common, Map.of());
        start("parakeet", "consumer-parakeet", EmbeddedRedis.freePort(), common, Map.of(
                "parakeet.base-url", cloud.baseUrl(), "parakeet.model", "parakeet-tdt-0.6b-v2"));
        for (ServiceProcess service : services) {
            service.awaitUp();
        }
        await("parakeet worker live").atMost(Duration.ofSeconds(60)).until(() -> redis.streams()
                .send(Request.cmd(Command.HLEN).arg(StreamKeys.providerHealth("parakeet"))).toLong() > 0);
        cloud.rejectParakeet();

        HttpClient http = HttpClient.newHttpClient();
        AdminApi admin = new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
        PcmAudio said = SampleSpeech.recording();
        PcmAudio speech = new PcmAudio(Pcm.concat(said.pcm(), Pcm.silence(said.sampleRate(), TRAILING_SILENCE_MS)),
                said.sampleRate());
        DeviceOptions options = new DeviceOptions(URI.create("ws://127.0.0.1:" + routerPort), "field-1",
                admin.createDevice("field-1"), speech, 1.0, 40, "en", null, List.of(), -1, Duration.ofSeconds(60));
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();

        DeviceReport report = new DeviceRun(options, http, line -> {
            arrivals.add(System.nanoTime());
            System.out.println(line);
        }).run();

        // The device streams in real time, so it sends stop no earlier than the audio's length after it began.
        long stopNotBefore = started + Duration.ofMillis(speech.durationMs()).toNanos();
        assertThat(report.results()).as("one result per utterance the router cut")
                .hasSize((int) utterancesIssued(report.sessionId())).hasSizeGreaterThanOrEqualTo(3);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.message())
                .isInstanceOfSatisfying(ServerMessage.Error.class, e -> assertThat(e.code())
                        .isEqualTo("transcription_failed")));
        assertThat(report.inOrder()).isTrue();
        assertThat(arrivals).hasSizeGreaterThanOrEqualTo(report.results().size())
                .allSatisfy(at -> assertThat(at).as("result arrived before stop").isLessThan(stopNotBefore));
        assertThat(redis.streams().send(Request.cmd(Command.EXISTS).arg(StreamKeys.audioStream("whisper"))).toLong())
                .as("nothing was parked on whisper").isZero();
        assertThat(cloud.parakeetCalls).hasPositiveValue();
    }

    private void start(String name, String module, int port, Map<String, String> common, Map<String, String> own)
            throws Exception {
        Map<String, String> properties = new HashMap<>(common);
        properties.putAll(own);
        services.add(ServiceProcess.start(name, module, port, properties));
    }

    private long utterancesIssued(String sessionId) {
        return redis.streams().send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg(SessionFields.NEXT_SEQ))
                .toLong();
    }
}
