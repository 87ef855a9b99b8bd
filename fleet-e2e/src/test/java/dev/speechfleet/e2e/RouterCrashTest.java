package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router process is SIGKILLed in the middle of an utterance and started again; the device
 * resumes and resends the audio the router never made durable. Every utterance gets exactly one
 * transcript, and every transcript keeps the true place of its speech in the session's audio.
 */
class RouterCrashTest {

    private static final String ADMIN_TOKEN = "e2e-admin";
    /** Where each spoken stretch is in the device's audio, in ms: the second is cut by the crash. */
    private static final long[][] SPEECH = {{300, 1900}, {3480, 5220}, {6200, 7600}, {8500, 9800}};
    private static final long AUDIO_MS = 10_600;
    /** The segmenter keeps up to 100 ms before and after speech, on 20 ms frames. */
    private static final long EDGE_MS = 100;
    private static final long TOLERANCE_MS = 60;

    private TestRedis redis;
    private CloudMocks cloud;
    private ServiceProcess router;
    private ServiceProcess aggregator;
    private ServiceProcess parakeet;

    @BeforeEach
    void startFleet() throws Exception {
        redis = TestRedis.start();
        cloud = new CloudMocks();
    }

    @AfterEach
    void stopFleet() throws Exception {
        for (ServiceProcess service : new ServiceProcess[] {router, aggregator, parakeet}) {
            if (service != null) {
                service.close();
            }
        }
        cloud.close();
        redis.close();
    }

    @Test
    void aRouterKilledMidUtteranceLosesNoSpeechAndKeepsTheClockTrue() throws Exception {
        int routerPort = EmbeddedRedis.freePort();
        Map<String, String> common = Map.of("quarkus.redis.hosts", redis.url());
        router = startRouter(routerPort, common);
        aggregator = ServiceProcess.start("aggregator", "results-aggregator", EmbeddedRedis.freePort(), common);
        parakeet = ServiceProcess.start("parakeet", "consumer-parakeet", EmbeddedRedis.freePort(), merge(common,
                Map.of("parakeet.base-url", cloud.baseUrl(), "fleet.worker.poll-timeout", "200ms")));
        router.awaitUp();
        aggregator.awaitUp();
        parakeet.awaitUp();

        HttpClient http = HttpClient.newHttpClient();
        AdminApi admin = new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
        DeviceOptions options = new DeviceOptions(URI.create("ws://127.0.0.1:" + routerPort), "crash-1",
                admin.createDevice("crash-1"), SyntheticSpeech.of(SPEECH, AUDIO_MS, 150), 1.0, 40, "en", null, List.of(), -1, Duration.ofSeconds(60));
        List<String> lines = new CopyOnWriteArrayList<>();
        CountDownLatch midSecondUtterance = new CountDownLatch(1);
        DeviceRun run = new DeviceRun(options, http, lines::add).withProgress((sentMs, totalMs) -> {
            if (sentMs >= 4000) {
                midSecondUtterance.countDown();
            }
        });
        CompletableFuture<DeviceReport> device = CompletableFuture.supplyAsync(() -> {
            try {
                return run.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(midSecondUtterance.await(60, TimeUnit.SECONDS)).as("device reached 4 s of audio").isTrue();
        assertThat(router.kill()).as("exit status of the SIGKILLed router").isEqualTo(137);
        router = startRouter(routerPort, common).awaitUp();
        DeviceReport report = device.get(120, TimeUnit.SECONDS);
        lines.forEach(System.out::println);

        assertThat(report.resumes()).as("the device resumed after the crash").isGreaterThanOrEqualTo(1);
        assertThat(report.duplicates()).as("results seen twice").isZero();
        assertThat(report.inOrder()).isTrue();
        assertThat(report.gaps()).isEmpty();
        assertThat(report.closeCode()).isEqualTo(1000);
        List<ServerMessage.Transcript> transcripts = report.results().stream().map(DeviceReport.Result::message)
                .map(ServerMessage.Transcript.class::cast).toList();
        assertThat(transcripts).as("one transcript per spoken stretch").hasSize(SPEECH.length);
        for (int i = 0; i < SPEECH.length; i++) {
            ServerMessage.Transcript t = transcripts.get(i);
            assertThat(t.seq()).isEqualTo(i);
            assertThat(t.startMs()).as("start of utterance %d", i).isCloseTo(SPEECH[i][0] - EDGE_MS,
                    org.assertj.core.data.Offset.offset(TOLERANCE_MS));
            assertThat(t.endMs()).as("end of utterance %d", i).isCloseTo(SPEECH[i][1] + EDGE_MS,
                    org.assertj.core.data.Offset.offset(TOLERANCE_MS));
        }
    }

    private ServiceProcess startRouter(int port, Map<String, String> common) throws Exception {
        return ServiceProcess.start("router", "router-service", port, merge(common, Map.of(
                "router.admin.token", ADMIN_TOKEN, "router.routing.providers", "parakeet",
                "router.routing.refresh-interval", "200ms", "router.session.checkpoint-interval", "500ms")));
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> merged = new HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
