package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.SampleSpeech;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.TestRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fleet as it runs in production, every service its own JVM against one real Redis, driven by
 * device clients over the device protocol. While three devices stream, a Whisper consumer is killed
 * with SIGKILL, Deepgram goes into an outage, and one device's socket is dropped and resumed.
 * Every utterance must still reach its device exactly once, in order, and nothing may stay pending.
 */
class FleetFaultsTest {

    private static final String ADMIN_TOKEN = "e2e-admin";
    private static final int UTTERANCES = 4;
    private static final List<String> PROVIDERS = List.of("whisper", "deepgram", "assemblyai", "parakeet");

    private TestRedis redis;
    private CloudMocks cloud;
    private final List<ServiceProcess> services = new ArrayList<>();

    @BeforeEach
    void startFleet() throws Exception {
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
    void everyUtteranceReachesItsDeviceOnceAndInOrderThroughFaults() throws Exception {
        int routerPort = EmbeddedRedis.freePort();
        startServices(routerPort);
        ServiceProcess whisperToKill = services.stream().filter(s -> s.name().equals("whisper-1")).findFirst()
                .orElseThrow();
        awaitWorkersLive();

        HttpClient http = HttpClient.newHttpClient();
        AdminApi admin = new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
        URI server = URI.create("ws://127.0.0.1:" + routerPort);
        PcmAudio speech = SampleSpeech.recording();
        List<String> lines = new CopyOnWriteArrayList<>();
        cloud.failDeepgramAfter(1);
        DeviceOptions consensusWithDeepgram = device(server, "dev-a", admin, speech, List.of("whisper", "deepgram"), -1);
        DeviceOptions singleWithResume = device(server, "dev-b", admin, speech, List.of(), 0);
        DeviceOptions consensusOfTheOthers = device(server, "dev-c", admin, speech, List.of("parakeet", "assemblyai"), -1);

        List<DeviceReport> reports;
        try (ExecutorService devices = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<DeviceReport>> runs = new ArrayList<>();
            for (DeviceOptions options : List.of(consensusWithDeepgram, singleWithResume, consensusOfTheOthers)) {
                runs.add(CompletableFuture.supplyAsync(() -> run(options, http, lines::add), devices));
            }
            // Mid-run, whatever the machine's pace: the first utterance has reached Deepgram, the
            // others are still being spoken. From its second call on, Deepgram is in an outage.
            await("the first Deepgram call").atMost(Duration.ofSeconds(60)).until(() -> cloud.deepgramCalls.get() >= 1);
            assertThat(whisperToKill.kill()).as("exit status of the SIGKILLed whisper consumer").isEqualTo(137);
            reports = runs.stream().map(CompletableFuture::join).toList();
        }
        lines.forEach(System.out::println);

        for (DeviceReport report : reports) {
            // A dropped socket may cut an utterance in two, so the router's count is the reference.
            assertThat(report.results()).as("results of %s", report.deviceId())
                    .hasSize((int) utterancesIssued(report.sessionId())).hasSizeGreaterThanOrEqualTo(UTTERANCES);
            assertThat(report.inOrder()).as("%s in seq order", report.deviceId()).isTrue();
            assertThat(report.gaps()).as("%s gaps", report.deviceId()).isEmpty();
            assertThat(report.sessionErrors()).as("%s session errors", report.deviceId()).isEmpty();
            assertThat(report.closeCode()).as("%s close code", report.deviceId()).isEqualTo(1000);
            assertThat(report.results().stream().map(DeviceReport.Result::message)
                    .filter(m -> m instanceof dev.speechfleet.client.ServerMessage.Transcript)
                    .map(m -> ((dev.speechfleet.client.ServerMessage.Transcript) m).startMs()).toList())
                    .as("%s utterance times, across the resume too", report.deviceId()).isSorted();
        }
        assertThat(reports.get(0).results()).as("dev-a, never dropped: one utterance per sentence").hasSize(UTTERANCES);
        assertThat(reports.get(2).results()).as("dev-c, never dropped: one utterance per sentence").hasSize(UTTERANCES);
        assertThat(reports.get(1).resumes()).as("dev-b resumed its session").isEqualTo(1);
        assertThat(cloud.deepgramRefused).as("Deepgram calls during its outage").hasPositiveValue();
        assertThat(cloud.parakeetCalls).hasPositiveValue();
        assertThat(cloud.assemblyAiSubmits).hasPositiveValue();
        awaitNothingPending();
    }

    private void startServices(int routerPort) throws Exception {
        Path root = Path.of(System.getProperty("fleet.root", ".."));
        Path model = root.resolve("../shared/models/for-tests-ggml-tiny.en.bin").toAbsolutePath().normalize();
        // A generous Redis command timeout: seven JVMs start at once here, on a machine that may be busy.
        Map<String, String> common = Map.of("quarkus.redis.hosts", redis.url(), "fleet.redis.command-timeout", "30s",
                "fleet.worker.poll-timeout", "200ms", "fleet.worker.claim-idle", "3s",
                "fleet.worker.maintenance-interval", "500ms", "fleet.worker.backoff-base", "50ms",
                "fleet.worker.backoff-max", "200ms", "fleet.worker.max-retries", "2");
        start("router", "router-service", routerPort, common, Map.of("router.admin.token", ADMIN_TOKEN,
                "router.routing.refresh-interval", "200ms"));
        start("aggregator", "results-aggregator", EmbeddedRedis.freePort(), common, Map.of(
                "aggregator.claim-idle", "3s", "aggregator.maintenance-interval", "500ms",
                "aggregator.consensus-timeout", "8s"));
        for (String name : List.of("whisper-1", "whisper-2")) {
            start(name, "consumer-whisper", EmbeddedRedis.freePort(), common, Map.of(
                    "whisper.model.path", model.toString(), "whisper.states", "1",
                    "whisper.native-dir", root.resolve("fleet-e2e/target/whisper-native").toString(),
                    "fleet.worker.consumer-name", name));
        }
        start("deepgram", "consumer-deepgram", EmbeddedRedis.freePort(), common, Map.of(
                "deepgram.api-key", CloudMocks.KEY, "deepgram.base-url", cloud.baseUrl()));
        start("assemblyai", "consumer-assemblyai", EmbeddedRedis.freePort(), common, Map.of(
                "assemblyai.api-key", CloudMocks.KEY, "assemblyai.base-url", cloud.baseUrl(),
                "assemblyai.poll-interval", "100ms"));
        start("parakeet", "consumer-parakeet", EmbeddedRedis.freePort(), common, Map.of(
                "parakeet.base-url", cloud.baseUrl()));
        for (ServiceProcess service : services) {
            service.awaitUp();
        }
    }

    private void start(String name, String module, int port, Map<String, String> common,
            Map<String, String> own) throws Exception {
        Map<String, String> properties = new HashMap<>(common);
        properties.putAll(own);
        services.add(ServiceProcess.start(name, module, port, properties));
    }

    /** Every provider has a live worker reporting its health, so the router routes to all of them. */
    private void awaitWorkersLive() {
        for (String provider : PROVIDERS) {
            await(provider + " worker live").atMost(Duration.ofSeconds(60)).until(() -> redis.streams()
                    .send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HLEN)
                            .arg(StreamKeys.providerHealth(provider))).toLong() > 0);
        }
    }

    private DeviceOptions device(URI server, String id, AdminApi admin, PcmAudio speech, List<String> consensus,
            long dropAfterSeq) throws Exception {
        return new DeviceOptions(server, id, admin.createDevice(id), speech, 1.0, 40, "en",
                consensus.isEmpty() ? "cost" : null, consensus, dropAfterSeq, Duration.ofSeconds(90));
    }

    private static DeviceReport run(DeviceOptions options, HttpClient http, java.util.function.Consumer<String> out) {
        try {
            return new DeviceRun(options, http, out).run();
        } catch (Exception e) {
            throw new IllegalStateException(options.deviceId() + " failed: " + e.getMessage(), e);
        }
    }

    /** How many utterances the router cut from the session (its seq counter). */
    private long utterancesIssued(String sessionId) {
        return redis.streams().send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HGET)
                .arg(StreamKeys.session(sessionId)).arg("next_seq")).toLong();
    }

    private void awaitNothingPending() {
        await("nothing pending on any group").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String provider : PROVIDERS) {
                StreamInfo.PendingSummary pending = redis.streams().pendingSummary(StreamKeys.audioStream(provider),
                        StreamKeys.workerGroup(provider));
                assertThat(pending.count()).as("pending on %s", StreamKeys.audioStream(provider)).isZero();
            }
            assertThat(redis.streams().pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count())
                    .as("pending on %s", StreamKeys.HYPOTHESES).isZero();
        });
    }
}
