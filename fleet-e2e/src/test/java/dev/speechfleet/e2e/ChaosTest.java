package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many devices stream speech with pauses through the fleet, every service its own process, while
 * everything that can fail fails: the router and a consumer are SIGKILLed, Redis is SIGKILLed and
 * restarted from its AOF, Deepgram answers 503 and Parakeet 400 for a while, AssemblyAI has no
 * consumer at all, sockets drop and resume, and one device stops reading. At the end every
 * utterance has exactly one result at its device, in seq order, every group's pending list is
 * empty, and the provider streams are trimmed. The default suite runs a short form; the
 * {@code slow} tag runs a longer one.
 */
class ChaosTest {

    private static final String ADMIN_TOKEN = "e2e-admin";
    private static final List<String> PROVIDERS = List.of("deepgram", "assemblyai", "parakeet");
    private static final List<String> POLICIES = List.of("cost", "latency", "balanced", "queue", "accuracy");

    /** How big a run is: devices, utterances each, and how long the faults last. */
    private record Scenario(int devices, int utterances, Duration outage) {
    }

    private EmbeddedRedis redis;
    private EmbeddedRedis.Options redisOptions;
    private RedisStreams streams;
    private Vertx vertx;
    private CloudMocks cloud;
    private final Map<String, ServiceProcess> services = new HashMap<>();
    private final Map<String, Map<String, String>> serviceProperties = new HashMap<>();
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private long t0;

    @BeforeEach
    void startRedis() throws Exception {
        Path data = Files.createTempDirectory("chaos-redis");
        redisOptions = EmbeddedRedis.Options.defaults().withDataDir(data);
        redis = EmbeddedRedis.start(redisOptions);
        vertx = Vertx.vertx();
        streams = new RedisStreams(Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
                .setMaxPoolSize(4)), Duration.ofSeconds(5));
        cloud = new CloudMocks();
    }

    @AfterEach
    void stopFleet() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        cloud.close();
        vertx.close();
        redis.stop();
    }

    @Test
    void everyUtteranceHasExactlyOneResultThroughEveryFault() throws Exception {
        run(new Scenario(50, 4, Duration.ofSeconds(4)));
    }

    @Test
    @Tag("slow")
    void everyUtteranceHasExactlyOneResultThroughEveryFaultAtScale() throws Exception {
        run(new Scenario(200, 10, Duration.ofSeconds(10)));
    }

    private void run(Scenario scenario) throws Exception {
        int routerPort = EmbeddedRedis.freePort();
        startFleet(routerPort);
        HttpClient http = HttpClient.newHttpClient();
        AdminApi admin = new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
        List<DeviceRun> runs = new ArrayList<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        for (int i = 0; i < scenario.devices(); i++) {
            runs.add(device(i, scenario, admin, routerPort, http, lines::add));
        }

        List<DeviceReport> reports;
        t0 = System.nanoTime();
        try (ExecutorService devices = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<DeviceReport>> running = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                DeviceRun run = runs.get(i);
                long startDelayMs = i * 2000L / runs.size();
                running.add(CompletableFuture.supplyAsync(() -> start(run, startDelayMs), devices));
            }
            injectFaults(scenario, routerPort);
            reports = running.stream().map(f -> f.orTimeout(240, TimeUnit.SECONDS).join()).toList();
        }
        timeline.forEach(System.out::println);
        lines.stream().filter(l -> !l.contains(" #")).forEach(System.out::println);
        assertThat(lines).as("the stalled device stopped reading").anyMatch(l -> l.startsWith("chaos-1: stops reading"));
        verify(reports, scenario);
    }

    /** The faults, in the order and at the times of a bad day. */
    private void injectFaults(Scenario scenario, int routerPort) throws Exception {
        at(2000, "Deepgram answers 503", cloud::failDeepgram);
        at(2500, "Parakeet answers 400", cloud::rejectParakeet);
        at(3000, "SIGKILL deepgram-1", () -> kill("deepgram-1"));
        at(4000, "SIGKILL router", () -> kill("router"));
        at(4000, "router restarted", () -> restart("router"));
        at(4000 + scenario.outage().toMillis(), "Deepgram answers again", cloud::restoreDeepgram);
        at(4500 + scenario.outage().toMillis(), "Parakeet accepts again", cloud::acceptParakeet);
        at(5000 + scenario.outage().toMillis(), "SIGKILL Redis", this::killRedis);
        at(5500 + scenario.outage().toMillis(), "Redis restarted from its AOF", this::restartRedis);
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private void at(long ms, String what, Fault fault) throws Exception {
        long wait = t0 + ms * 1_000_000 - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        fault.inject();
        timeline.add(String.format("%6.1f s  %s", (System.nanoTime() - t0) / 1e9, what));
    }

    private void verify(List<DeviceReport> reports, Scenario scenario) {
        int results = 0;
        int errors = 0;
        int resumes = 0;
        for (DeviceReport report : reports) {
            long issued = utterancesIssued(report.sessionId());
            assertThat(report.results()).as("results of %s", report.deviceId()).hasSize((int) issued)
                    .hasSizeGreaterThanOrEqualTo(scenario.utterances());
            assertThat(report.inOrder()).as("%s in seq order", report.deviceId()).isTrue();
            assertThat(report.gaps()).as("%s gaps", report.deviceId()).isEmpty();
            assertThat(report.closeCode()).as("%s close code", report.deviceId()).isEqualTo(1000);
            int index = Integer.parseInt(report.deviceId().substring("chaos-".length()));
            assertThat(report.resumes()).as("%s resumes (router crash%s)", report.deviceId(),
                    dropsItsSocket(index) ? " and its own drop" : "").isGreaterThanOrEqualTo(dropsItsSocket(index) ? 2 : 1);
            assertThat(resultsPerSeq(report.sessionId())).as("results written per seq for %s", report.deviceId())
                    .hasSize((int) issued).allSatisfy((seq, count) -> assertThat(count).isOne());
            results += report.results().size();
            errors += (int) report.results().stream().filter(r -> !r.ok()).count();
            resumes += report.resumes();
        }
        System.out.printf("chaos: %d devices, %d results (%d error results), %d resumes%n", reports.size(), results,
                errors, resumes);
        awaitNothingPendingAndStreamsTrimmed();
    }

    private void awaitNothingPendingAndStreamsTrimmed() {
        await("nothing pending, provider streams trimmed").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String provider : PROVIDERS) {
                String stream = StreamKeys.audioStream(provider);
                if (streams.length(stream) == 0) {
                    continue;
                }
                assertThat(streams.pendingSummary(stream, StreamKeys.workerGroup(provider)).count())
                        .as("pending on %s", stream).isZero();
                // MINID ~ trims whole nodes of 100 entries: at most one node's worth may stay behind.
                assertThat(streams.length(stream)).as("entries left on %s", stream).isLessThanOrEqualTo(100);
            }
            assertThat(streams.pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count())
                    .as("pending on %s", StreamKeys.HYPOTHESES).isZero();
        });
        for (String provider : PROVIDERS) {
            System.out.printf("chaos: %s holds %d entries%n", StreamKeys.audioStream(provider),
                    streams.length(StreamKeys.audioStream(provider)));
        }
    }

    /** How many result entries the session stream holds for each seq. */
    private Map<Long, Integer> resultsPerSeq(String sessionId) {
        Map<Long, Integer> perSeq = new TreeMap<>();
        for (StreamEntry entry : streams.range(StreamKeys.sessionResults(sessionId), "-", "+", 10_000)) {
            perSeq.merge(Long.parseLong(entry.fields().string("seq", "-1")), 1, Integer::sum);
        }
        return perSeq;
    }

    private long utterancesIssued(String sessionId) {
        return streams.send(Request.cmd(Command.HGET).arg(StreamKeys.session(sessionId)).arg("next_seq")).toLong();
    }

    private DeviceRun device(int i, Scenario scenario, AdminApi admin, int routerPort, HttpClient http,
            Consumer<String> out) throws Exception {
        String id = "chaos-" + i;
        List<String> consensus = i % 10 == 3 ? List.of("deepgram", "parakeet")
                : i % 10 == 7 ? List.of("parakeet", "assemblyai") : List.of();
        DeviceOptions options = new DeviceOptions(URI.create("ws://127.0.0.1:" + routerPort), id,
                admin.createDevice(id), speech(i, scenario.utterances()), 1.0, 40, "en",
                consensus.isEmpty() ? POLICIES.get(i % POLICIES.size()) : null, consensus,
                dropsItsSocket(i) ? 0 : -1, Duration.ofSeconds(90));
        DeviceRun run = new DeviceRun(options, http, out);
        return i == 1 ? run.stallReading(0, Duration.ofSeconds(6)) : run;
    }

    private static boolean dropsItsSocket(int device) {
        return device % 10 == 5;
    }

    /** {@code utterances} stretches of 0.8 to 1.4 s with pauses of 0.6 to 1.2 s, different per device. */
    private static PcmAudio speech(int device, int utterances) {
        long[][] stretches = new long[utterances][];
        long at = 200 + (device % 5) * 60;
        for (int u = 0; u < utterances; u++) {
            long length = 800 + ((device * 7L + u * 3L) % 7) * 100;
            stretches[u] = new long[] {at, at + length};
            at += length + 600 + ((device + u) % 7) * 100;
        }
        return SyntheticSpeech.of(stretches, at + 400, 120 + (device % 8) * 15);
    }

    private static DeviceReport start(DeviceRun run, long delayMs) {
        try {
            TimeUnit.MILLISECONDS.sleep(delayMs);
            return run.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- the fleet ---

    private void startFleet(int routerPort) throws Exception {
        Map<String, String> common = Map.of("quarkus.redis.hosts", redis.url(),
                "fleet.worker.poll-timeout", "200ms", "fleet.worker.claim-idle", "3s",
                "fleet.worker.maintenance-interval", "500ms", "fleet.worker.backoff-base", "50ms",
                "fleet.worker.backoff-max", "200ms", "fleet.worker.max-retries", "2",
                "fleet.providers.scale-from-zero", "assemblyai",
                "fleet.sweeper.scale-from-zero-deadline", "5s");
        define("router", "router-service", routerPort, common, Map.of("router.admin.token", ADMIN_TOKEN,
                "router.routing.providers", String.join(",", PROVIDERS),
                "router.routing.refresh-interval", "200ms", "router.session.checkpoint-interval", "1s",
                "router.auth.max-failures", "100000"));
        define("aggregator", "results-aggregator", EmbeddedRedis.freePort(), common, Map.of(
                "aggregator.claim-idle", "3s", "aggregator.maintenance-interval", "500ms",
                "aggregator.consensus-timeout", "5s"));
        for (String name : List.of("deepgram-1", "deepgram-2")) {
            define(name, "consumer-deepgram", EmbeddedRedis.freePort(), common, Map.of(
                    "deepgram.api-key", CloudMocks.KEY, "deepgram.base-url", cloud.baseUrl(),
                    "fleet.worker.consumer-name", name));
        }
        define("parakeet-1", "consumer-parakeet", EmbeddedRedis.freePort(), common, Map.of(
                "parakeet.base-url", cloud.baseUrl()));
        for (String name : serviceProperties.keySet()) {
            restart(name);
        }
        for (ServiceProcess service : services.values()) {
            service.awaitUp();
        }
        awaitLive("deepgram");
        awaitLive("parakeet");
    }

    private void define(String name, String module, int port, Map<String, String> common, Map<String, String> own) {
        Map<String, String> properties = new HashMap<>(common);
        properties.putAll(own);
        properties.put("chaos.module", module);
        properties.put("chaos.port", Integer.toString(port));
        serviceProperties.put(name, properties);
    }

    private void restart(String name) throws Exception {
        Map<String, String> properties = new HashMap<>(serviceProperties.get(name));
        String module = properties.remove("chaos.module");
        int port = Integer.parseInt(properties.remove("chaos.port"));
        services.put(name, ServiceProcess.start(name, module, port, properties));
    }

    private void kill(String name) throws InterruptedException {
        assertThat(services.get(name).kill()).as("exit status of the SIGKILLed %s", name).isEqualTo(137);
    }

    private void killRedis() {
        ProcessHandle.of(redis.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await("Redis gone").atMost(Duration.ofSeconds(10)).until(() -> !redis.isRunning());
    }

    private void restartRedis() {
        redis = EmbeddedRedis.start(redisOptions.withPort(redis.port()));
    }

    private void awaitLive(String provider) {
        await(provider + " live").atMost(Duration.ofSeconds(90)).until(() -> streams.send(Request.cmd(Command.HLEN)
                .arg(StreamKeys.providerHealth(provider))).toLong() > 0);
    }
}
