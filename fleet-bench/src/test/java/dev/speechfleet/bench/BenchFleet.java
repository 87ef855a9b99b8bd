package dev.speechfleet.bench;

import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet a benchmark runs against, every part its own process on this machine: one Redis 7 (AOF,
 * fsync every second, as production is advised to run), the benchmark router (router-service's beans
 * and the utterance injector), one results-aggregator from its packaged application, and the
 * consumers: instant-provider workers ({@link InstantWorkerMain}) or a real consumer service.
 */
final class BenchFleet implements AutoCloseable {

    static final String ADMIN_TOKEN = "bench-admin";

    /**
     * What to start.
     *
     * @param provider    the provider the router routes to
     * @param workers     instant-provider worker processes ({@code worker-1} …)
     * @param latency     how long the instant provider takes per call
     * @param failureRate share of instant-provider calls that fail (retryable)
     * @param concurrency {@code fleet.worker.concurrency} of each worker
     * @param common      properties of every process (worker timings, say)
     * @param service     a real consumer service module to start instead of instant workers, or null
     * @param serviceProperties its own properties
     */
    record Setup(String provider, int workers, Duration latency, double failureRate, int concurrency,
            Map<String, String> common, String service, Map<String, String> serviceProperties) {

        /** One instant worker of concurrency 16 answering at once, production timings. */
        static Setup instant() {
            return new Setup("instant", 1, Duration.ZERO, 0, 16, Map.of(), null, Map.of());
        }

        Setup withWorkers(int count) {
            return new Setup(provider, count, latency, failureRate, concurrency, common, service, serviceProperties);
        }

        Setup withLatency(Duration newLatency) {
            return new Setup(provider, workers, newLatency, failureRate, concurrency, common, service,
                    serviceProperties);
        }

        Setup withConcurrency(int newConcurrency) {
            return new Setup(provider, workers, latency, failureRate, newConcurrency, common, service,
                    serviceProperties);
        }

        Setup withCommon(Map<String, String> properties) {
            return new Setup(provider, workers, latency, failureRate, concurrency, properties, service,
                    serviceProperties);
        }

        /** A real consumer service instead of instant workers. */
        static Setup service(String provider, String module, Map<String, String> properties) {
            return new Setup(provider, 0, Duration.ZERO, 0, 0, Map.of(), module, properties);
        }
    }

    private final Setup setup;
    private final EmbeddedRedis redis;
    private final Vertx vertx;
    private final RedisStreams streams;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int routerPort;
    private final Map<String, BenchProcess> processes = new LinkedHashMap<>();
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    /** When every process was up: profiles leave start-up out. */
    private java.time.Instant readyAt = java.time.Instant.EPOCH;

    /** Where the processes' builds come from: this tree, or a copy of an earlier build to compare with. */
    private final Path build;

    private BenchFleet(Setup setup, Path build) throws IOException {
        this.setup = setup;
        this.build = build;
        Path data = Files.createTempDirectory(BenchProcess.root().resolve("fleet-bench/target"), "bench-redis");
        redis = EmbeddedRedis.start(EmbeddedRedis.Options.defaults().withDataDir(data));
        vertx = Vertx.vertx();
        streams = new RedisStreams(Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
                .setMaxPoolSize(4)), Duration.ofSeconds(30));
        routerPort = EmbeddedRedis.freePort();
    }

    static BenchFleet start(Setup setup) throws Exception {
        return start(setup, BenchProcess.root());
    }

    /** A fleet whose processes run the build under {@code build} (see {@link BenchProcess#service}). */
    static BenchFleet start(Setup setup, Path build) throws Exception {
        BenchFleet fleet = new BenchFleet(setup, build);
        try {
            fleet.startProcesses();
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    private void startProcesses() throws Exception {
        Map<String, String> common = new HashMap<>(setup.common());
        common.put("quarkus.redis.hosts", redis.url());
        Map<String, String> router = new HashMap<>(common);
        router.putAll(Map.of("router.admin.token", ADMIN_TOKEN, "router.routing.providers", setup.provider(),
                "router.auth.max-failures", "1000000"));
        processes.put("router", BenchProcess.service("router", "fleet-bench-router", routerPort, router,
                build));
        processes.put("aggregator", BenchProcess.service("aggregator", "results-aggregator",
                EmbeddedRedis.freePort(), common, build));
        for (int i = 1; i <= setup.workers(); i++) {
            startWorker("worker-" + i);
        }
        if (setup.service() != null) {
            Map<String, String> own = new HashMap<>(common);
            own.putAll(setup.serviceProperties());
            processes.put(setup.service(), BenchProcess.service(setup.service(), setup.service(),
                    EmbeddedRedis.freePort(), own));
        }
        for (BenchProcess process : processes.values()) {
            process.awaitUp();
        }
        await(setup.provider() + " live").atMost(Duration.ofSeconds(120)).until(() -> streams.send(Request.cmd(
                Command.HLEN).arg(StreamKeys.providerHealth(setup.provider()))).toLong() > 0);
        checkClocks();
        readyAt = java.time.Instant.now();
    }

    /** Starts (or restarts) instant worker {@code name} with the setup's provider and properties. */
    BenchProcess startWorker(String name) throws IOException {
        Map<String, String> worker = new HashMap<>(setup.common());
        worker.putAll(Map.of("quarkus.redis.hosts", redis.url(), "bench.provider.name", setup.provider(),
                "bench.provider.latency", setup.latency().toMillis() + "ms",
                "bench.provider.failure-rate", Double.toString(setup.failureRate()),
                "fleet.worker.concurrency", Integer.toString(setup.concurrency()),
                "fleet.worker.consumer-name", name));
        BenchProcess process = BenchProcess.main(name, InstantWorkerMain.class, worker, build);
        processes.put(name, process);
        return process;
    }

    /**
     * Latencies subtract the router's {@code System.nanoTime()} from the devices': check that both
     * read the same clock (Linux CLOCK_MONOTONIC is one clock for every process of a machine).
     */
    private void checkClocks() throws IOException, InterruptedException {
        long before = System.nanoTime();
        long router = Long.parseLong(get("/bench/clock"));
        long after = System.nanoTime();
        if (router < before || router > after) {
            throw new IllegalStateException("the router's clock (" + router + ") is not this process's (" + before
                    + " to " + after + "): latencies across processes cannot be measured here");
        }
    }

    URI deviceUri() {
        return URI.create("ws://127.0.0.1:" + routerPort);
    }

    AdminApi admin() {
        return new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
    }

    /** The token of device {@code id}, registered with the admin API the first time it is asked for. */
    String token(String id) throws IOException, InterruptedException {
        String known = tokens.get(id);
        if (known != null) {
            return known;
        }
        String created = admin().createDevice(id);
        tokens.put(id, created);
        return created;
    }

    RedisStreams streams() {
        return streams;
    }

    BenchProcess process(String name) {
        return processes.get(name);
    }

    /** The pid of every process of the fleet, Redis included, by name. */
    Map<String, Long> processIds() {
        Map<String, Long> pids = new LinkedHashMap<>();
        processes.forEach((name, process) -> {
            if (process.alive()) {
                pids.put(name, process.pid());
            }
        });
        pids.put("redis", redis.pid());
        return pids;
    }

    Setup setup() {
        return setup;
    }

    /** Sessions open for audio on the router. */
    int openSessions() throws IOException, InterruptedException {
        return Integer.parseInt(get("/bench/sessions").strip());
    }

    /** One injected utterance as the router recorded it (its clock is this process's, see {@link #checkClocks}). */
    record Injected(String sessionId, long seq, long dueNanos, long startedNanos, long dispatchedNanos,
            String error) {

        boolean dispatched() {
            return seq >= 0 && dispatchedNanos > 0;
        }
    }

    /** Injects {@code count} utterances of {@code pcm} into the open sessions at {@code rate} (0: closed loop). */
    List<Injected> inject(int count, double rate, byte[] pcm) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/bench/inject?count=" + count + "&rate=" + rate)
                .timeout(Duration.ofMinutes(15)).POST(HttpRequest.BodyPublishers.ofByteArray(pcm)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("injection refused: HTTP " + response.statusCode() + " " + response.body());
        }
        List<Injected> injected = new ArrayList<>(count);
        for (String line : response.body().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ", 6);
            injected.add(new Injected(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), f.length > 5 ? f[5] : ""));
        }
        return injected;
    }

    /** The router's heap in use after full collections, its direct buffers, the sessions open, and its RSS. */
    record Memory(long heapUsed, long directUsed, int sessions, long rssKib) {
    }

    Memory routerMemory() throws IOException, InterruptedException {
        String json = get("/bench/memory");
        return new Memory(number(json, "heap_used"), number(json, "direct_used"), (int) number(json, "sessions"),
                processes.get("router").rssKib());
    }

    /**
     * The router's live objects by class ({@code jcmd GC.class_histogram}, which collects first): bytes
     * per class name, to apportion what sessions hold.
     */
    Map<String, Long> routerHistogram() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(processes.get("router").pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("jcmd GC.class_histogram failed: " + out);
        }
        Map<String, Long> bytes = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":") && f[2].chars().allMatch(Character::isDigit)) {
                bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
            }
        }
        return bytes;
    }

    private static long number(String json, String field) {
        String rest = json.substring(json.indexOf("\"" + field + "\":") + field.length() + 3);
        return Long.parseLong(rest.replaceAll("^(\\d+).*$", "$1").strip());
    }

    /** Resets Redis's per-command counters. */
    void resetCommandStats() {
        streams.send(Request.cmd(Command.CONFIG).arg("RESETSTAT"));
    }

    /** Calls per Redis command since the last reset ({@code INFO commandstats}), by command name. */
    Map<String, Long> commandCalls() {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : streams.send(Request.cmd(Command.INFO).arg("commandstats")).toString().split("\r?\n")) {
            if (!line.startsWith("cmdstat_")) {
                continue;
            }
            String command = line.substring("cmdstat_".length(), line.indexOf(':'));
            String count = line.replaceAll("^[^:]*:calls=(\\d+),.*$", "$1");
            calls.put(command, Long.parseLong(count));
        }
        return calls;
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + routerPort + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** Stops every process (SIGTERM, so JFR recordings are written), then Redis. */
    @Override
    public void close() throws Exception {
        List<BenchProcess> all = new ArrayList<>(processes.values());
        java.util.Collections.reverse(all);
        for (BenchProcess process : all) {
            process.close();
        }
        vertx.close();
        redis.stop();
        summarizeRecordings();
    }

    /** With {@code -Dbench.jfr=true}: where each process's time went, into the {@code profile} report. */
    private void summarizeRecordings() throws IOException {
        BenchReport report = null;
        for (BenchProcess process : processes.values()) {
            Path recording = process.recording();
            if (recording == null) {
                continue;
            }
            if (report == null) {
                report = new BenchReport("profile");
            }
            report.line("### " + process.name());
            for (String line : JfrProfile.summarize(recording, readyAt, 30)) {
                report.line(line);
            }
        }
    }
}
