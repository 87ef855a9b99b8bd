package dev.speechfleet.e2e;

import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.AdminApi;
import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.DeviceRun;
import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The router, the aggregator and the Deepgram and Parakeet consumers (against {@link CloudMocks}),
 * each its own JVM, configured with nothing but the Redis settings a test gives them, and devices
 * that stream to it.
 */
final class SmallFleet implements AutoCloseable {

    static final List<String> PROVIDERS = List.of("deepgram", "parakeet");
    /** Consumer names as Kubernetes gives them (the pod names), so that outputs read as in production. */
    static final Map<String, String> CONSUMER_NAMES = Map.of("aggregator", "results-aggregator-5d8f6c7b9-r4t6y",
            "deepgram", "consumer-deepgram-6c9f7d5b8-k2x4q", "parakeet", "consumer-parakeet-7d4b9c6f5-m8z2w");
    private static final String ADMIN_TOKEN = "e2e-admin";

    private final CloudMocks cloud;
    private final List<ServiceProcess> services = new ArrayList<>();
    private final int routerPort = EmbeddedRedis.freePort();
    private final HttpClient http = HttpClient.newHttpClient();

    private SmallFleet(CloudMocks cloud) {
        this.cloud = cloud;
    }

    /** Starts every service with {@code redisSettings} (the {@code quarkus.redis.*} keys) and waits until they answer. */
    static SmallFleet start(Map<String, String> redisSettings, CloudMocks cloud) throws Exception {
        SmallFleet fleet = new SmallFleet(cloud);
        try {
            fleet.startServices(redisSettings);
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private void startServices(Map<String, String> redis) throws Exception {
        Map<String, String> workers = Map.of("fleet.worker.poll-timeout", "200ms",
                "fleet.worker.maintenance-interval", "500ms", "fleet.worker.claim-idle", "3s");
        start("router", "router-service", routerPort, redis, Map.of("router.admin.token", ADMIN_TOKEN,
                "router.routing.providers", String.join(",", PROVIDERS), "router.routing.refresh-interval", "200ms"));
        start("aggregator", "results-aggregator", EmbeddedRedis.freePort(), redis, Map.of(
                "aggregator.maintenance-interval", "500ms", "aggregator.consumer-name", CONSUMER_NAMES.get("aggregator")));
        start("deepgram", "consumer-deepgram", EmbeddedRedis.freePort(), redis, merge(workers, Map.of(
                "deepgram.api-key", CloudMocks.KEY, "deepgram.base-url", cloud.baseUrl(),
                "fleet.worker.consumer-name", CONSUMER_NAMES.get("deepgram"))));
        start("parakeet", "consumer-parakeet", EmbeddedRedis.freePort(), redis, merge(workers, Map.of(
                "parakeet.base-url", cloud.baseUrl(), "parakeet.model", "parakeet-tdt-0.6b-v2",
                "fleet.worker.consumer-name", CONSUMER_NAMES.get("parakeet"))));
        for (ServiceProcess service : services) {
            service.awaitUp();
        }
    }

    private void start(String name, String module, int port, Map<String, String> redis, Map<String, String> own)
            throws Exception {
        services.add(ServiceProcess.start(name, module, port, merge(redis, own)));
    }

    /** Waits until every provider has a consumer reporting health, so that the router routes to each. */
    void awaitWorkersLive(RedisStreams redis) {
        for (String provider : PROVIDERS) {
            await(provider + " worker live").atMost(Duration.ofSeconds(90)).until(() -> redis.send(
                    Request.cmd(Command.HLEN).arg(StreamKeys.providerHealth(provider))).toLong() > 0);
        }
    }

    /** A device registered through the admin API that says {@code audio}, alone (policy cost) or in consensus. */
    DeviceOptions device(String id, PcmAudio audio, List<String> consensus) throws Exception {
        return device(id, audio, consensus, consensus.isEmpty() ? "cost" : null);
    }

    /** A device with a routing policy of its own. */
    DeviceOptions device(String id, PcmAudio audio, List<String> consensus, String policy) throws Exception {
        AdminApi admin = new AdminApi(http, URI.create("http://127.0.0.1:" + routerPort), ADMIN_TOKEN);
        return new DeviceOptions(URI.create("ws://127.0.0.1:" + routerPort), id, admin.createDevice(id), audio, 1.0,
                40, "en", policy, consensus, -1, Duration.ofSeconds(90));
    }

    /** The scrape of one service's {@code /q/metrics}: router, aggregator, deepgram or parakeet. */
    PrometheusScrape scrape(String service) throws Exception {
        return service(service).scrape();
    }

    /** What one service logged so far, for a failing test's message. */
    String log(String service) throws IOException {
        return service(service).log();
    }

    private ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** The names of the fleet's services, as {@link #scrape(String)} takes them. */
    List<String> serviceNames() {
        return services.stream().map(ServiceProcess::name).toList();
    }

    /** Runs the devices at once and returns what each saw. */
    List<DeviceReport> run(List<DeviceOptions> devices) {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<DeviceReport>> runs = new ArrayList<>();
            for (DeviceOptions options : devices) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return new DeviceRun(options, http, System.out::println).run();
                    } catch (Exception e) {
                        throw new IllegalStateException(options.deviceId() + " failed: " + e.getMessage(), e);
                    }
                }, pool));
            }
            return runs.stream().map(CompletableFuture::join).toList();
        }
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services) {
            service.close();
        }
    }

    static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> merged = new HashMap<>(a);
        merged.putAll(b);
        return merged;
    }
}
