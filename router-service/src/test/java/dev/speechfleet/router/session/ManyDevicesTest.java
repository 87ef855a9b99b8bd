package dev.speechfleet.router.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.router.admin.AdminDtos;
import dev.speechfleet.router.admin.DeviceAdmin;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.client.DeviceConnection;
import dev.speechfleet.router.testing.Examples;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.testing.Redis;
import dev.speechfleet.router.testing.TestPipeline;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many simulated devices on one router instance, streaming at real time at once: every device gets
 * its transcripts in order, and the Redis connections stay bounded by the client's pool (which also
 * holds the one pub/sub subscription), not by the number of sessions. 500 devices run in the default suite
 * (5 to 10 s on 2 cores); a 1000-device run is tagged slow ({@code -Pslow}).
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ManyDevicesTest {

    private static final int UTTERANCES = 2;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RedisStreams redis;

    @Inject
    LiveFigures figures;

    @Inject
    DeviceAdmin admin;

    @Inject
    SessionRegistry registry;

    @ConfigProperty(name = "quarkus.redis.max-pool-size")
    int maxPoolSize;

    private TestPipeline pipeline;
    private final ScheduledExecutorService devicesClock = Executors.newScheduledThreadPool(4);
    private final List<DeviceConnection> devices = new ArrayList<>();

    @BeforeEach
    void startFleet() {
        Redis.flush(redis);
        pipeline = new TestPipeline(redis, new ScriptedProvider("whisper"));
        await().atMost(Duration.ofSeconds(10)).until(() -> figures.refresh().of("whisper").routable());
    }

    @AfterEach
    void stopFleet() {
        devicesClock.shutdownNow();
        devices.forEach(DeviceConnection::close);
        pipeline.close();
    }

    @Test
    void fiveHundredDevicesUseABoundedNumberOfRedisConnections() {
        run(500);
    }

    @Test
    @Tag("slow")
    void thousandDevicesUseABoundedNumberOfRedisConnections() {
        run(1000);
    }

    private void run(int count) {
        long started = System.nanoTime();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            tokens.add(admin.create(new AdminDtos.CreateDevice("crowd-" + i, null)).token());
        }
        int before = Redis.connectedClients(redis);
        connectAndStart(count, tokens);
        AtomicInteger peakConnections = new AtomicInteger(before);
        AtomicInteger peakSessions = new AtomicInteger();
        devicesClock.scheduleAtFixedRate(() -> {
            peakConnections.accumulateAndGet(Redis.connectedClients(redis), Math::max);
            peakSessions.accumulateAndGet(registry.sessions().size(), Math::max);
        }, 0, 100, TimeUnit.MILLISECONDS);

        devices.forEach(this::streamAtRealTime);
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> devices.stream().allMatch(d -> transcripts(d).size() == UTTERANCES));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("[many-devices] incomplete: " + summary());
            throw e;
        }

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("[many-devices] devices=%d peak_open_sessions=%d redis_connections_before=%d"
                + " peak_redis_connections=%d pool_max=%d elapsed_ms=%d cores=%d%n", count, peakSessions.get(), before,
                peakConnections.get(), maxPoolSize, elapsedMs, Runtime.getRuntime().availableProcessors());
        assertThat(peakSessions.get()).isEqualTo(count);
        // Everything in this JVM (router, pub/sub subscription, test worker and aggregator) draws on one pool.
        assertThat(peakConnections.get()).isLessThanOrEqualTo(maxPoolSize);
        for (DeviceConnection device : devices) {
            assertThat(transcripts(device)).extracting(t -> t.path("seq").asLong()).containsExactly(0L, 1L);
        }
    }

    private void connectAndStart(int count, List<String> tokens) {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<DeviceConnection>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connecting.add(DeviceConnection.connectAsync(http, base.resolve("/ws/crowd-" + i), tokens.get(i)));
        }
        connecting.forEach(f -> devices.add(f.join()));
        devices.forEach(d -> d.send(Examples.text("start")));
        await().atMost(Duration.ofSeconds(60)).until(() -> devices.stream()
                .allMatch(d -> d.received().stream().anyMatch(m -> m.path("type").asText().equals("ready"))));
    }

    /** Per utterance: 100 ms silence, 400 ms voice, a flush; one 100 ms frame every 100 ms. */
    private void streamAtRealTime(DeviceConnection device) {
        List<Object> script = new ArrayList<>();
        for (int u = 0; u < UTTERANCES; u++) {
            script.add(Pcm.silence(16000, 100));
            for (int f = 0; f < 4; f++) {
                script.add(Pcm.tone(16000, 100, 8000));
            }
            script.add(Examples.text("flush"));
        }
        // One periodic task per device: a periodic task never overlaps itself, so the steps stay in order.
        java.util.Iterator<Object> steps = script.iterator();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.ScheduledFuture<?>> task =
                new java.util.concurrent.atomic.AtomicReference<>();
        task.set(devicesClock.scheduleAtFixedRate(() -> {
            if (!steps.hasNext()) {
                task.get().cancel(false);
                return;
            }
            Object step = steps.next();
            if (step instanceof byte[] frame) {
                device.send(frame);
            } else {
                device.send((String) step);
            }
        }, 0, 100, TimeUnit.MILLISECONDS));
    }

    /** How many devices got how many transcripts, and the errors they got, for a failed run. */
    private String summary() {
        java.util.Map<String, Long> outcome = new java.util.TreeMap<>();
        for (DeviceConnection d : devices) {
            String errors = d.received().stream().filter(m -> m.path("type").asText().equals("error"))
                    .map(m -> m.path("code").asText()).toList().toString();
            outcome.merge(transcripts(d).size() + " transcripts, errors " + errors + ", closed " + d.isClosed(), 1L,
                    Long::sum);
        }
        return outcome.toString();
    }

    private static List<JsonNode> transcripts(DeviceConnection device) {
        return device.received().stream().filter(m -> m.path("type").asText().equals("transcript")).toList();
    }
}
