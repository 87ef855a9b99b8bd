package dev.speechfleet.router.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamReader;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.TestRedis;
import dev.speechfleet.client.Pcm;
import dev.speechfleet.router.vad.Utterance;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live figures come from real Redis in the background; dispatching reads none of them. */
class LiveFiguresTest {

    private static final List<String> PROVIDERS = List.of("whisper", "deepgram", "assemblyai", "parakeet");
    private static TestRedis server;
    private RedisStreams redis;

    @BeforeAll
    static void start() {
        server = TestRedis.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        server.flush();
        redis = server.streams();
    }

    @Test
    void aProviderWithoutAGroupHasNoLiveConsumer() {
        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("deepgram");

        assertThat(figures.routable()).isFalse();
        assertThat(figures.liveConsumers()).isZero();
    }

    @Test
    void aConsumerThatReadRecentlyIsLiveAndLagAndPendingAreCounted() {
        consume("whisper", "w-1", 2);
        enqueue("whisper", 3);

        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("whisper");

        assertThat(figures.liveConsumers()).isEqualTo(1);
        assertThat(figures.pending()).isEqualTo(2);
        assertThat(figures.lag()).isEqualTo(3);
        assertThat(figures.routable()).isTrue();
    }

    @Test
    void aConsumerIdleLongerThanTheLiveLimitDoesNotCount() {
        consume("whisper", "w-1", 0);
        FiguresReader reader = reader(Duration.ofMillis(300));

        await().atMost(Duration.ofSeconds(3)).until(() -> reader.read("whisper").liveConsumers() == 0);
        assertThat(reader.read("whisper").routable()).isFalse();
    }

    @Test
    void everyConsumerReportingAnOpenBreakerMakesTheProviderUnroutable() {
        consume("deepgram", "d-1", 0);
        consume("deepgram", "d-2", 0);
        report("deepgram", "d-1", CircuitState.OPEN, 900);
        report("deepgram", "d-2", CircuitState.HALF_OPEN, 700);

        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("deepgram");

        assertThat(figures.liveConsumers()).isEqualTo(2);
        assertThat(figures.circuitOpen()).isTrue();
        assertThat(figures.routable()).isFalse();
    }

    @Test
    void oneClosedBreakerKeepsTheProviderRoutableWithTheHighestP95() {
        consume("deepgram", "d-1", 0);
        report("deepgram", "d-1", CircuitState.OPEN, 900);
        report("deepgram", "d-2", CircuitState.CLOSED, 450);

        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("deepgram");

        assertThat(figures.routable()).as(figures.toString()).isTrue();
        assertThat(figures.p95Ms()).isEqualTo(900);
        assertThat(figures.concurrency()).isEqualTo(8);
    }

    @Test
    void aFreshHealthReportMakesAConsumerLiveBeforeItAppearsInTheGroup() {
        redis.createGroup(StreamKeys.audioStream("parakeet"), StreamKeys.workerGroup("parakeet"));
        report("parakeet", "p-1", CircuitState.CLOSED, 200);

        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("parakeet");

        assertThat(figures.liveConsumers()).isEqualTo(1);
        assertThat(figures.routable()).isTrue();
    }

    @Test
    void aStaleHealthReportDoesNotMakeAConsumerLive() {
        redis.createGroup(StreamKeys.audioStream("parakeet"), StreamKeys.workerGroup("parakeet"));
        ProviderHealth old = new ProviderHealth("p-1", CircuitState.CLOSED, 200, 0.2, 4,
                System.currentTimeMillis() - 60_000);
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth("parakeet")).arg("p-1").arg(old.toJson()));

        assertThat(reader(Duration.ofSeconds(5)).read("parakeet").routable()).isFalse();
    }

    @Test
    void anUnreadableHealthReportIsIgnored() {
        consume("whisper", "w-1", 0);
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth("whisper")).arg("w-9").arg("{oops"));
        report("whisper", "w-1", CircuitState.CLOSED, 300);

        assertThat(reader(Duration.ofSeconds(5)).read("whisper").p95Ms()).isEqualTo(300);
    }

    @Test
    void aSweeperReadingAProvidersGroupDoesNotMakeItLive() {
        consume("whisper", dev.speechfleet.core.worker.ConsumerNames.sweeper("router-7"), 1);

        ProviderFigures figures = reader(Duration.ofSeconds(5)).read("whisper");

        assertThat(figures.liveConsumers()).isZero();
        assertThat(figures.routable()).isFalse();
    }

    @Test
    void aScaleFromZeroProviderIsRoutableWithoutAConsumer() {
        FiguresSnapshot snapshot = new FiguresReader(redis, Duration.ofSeconds(5), java.util.Set.of("parakeet"))
                .read(PROVIDERS, System.currentTimeMillis());

        assertThat(snapshot.of("parakeet").liveConsumers()).isZero();
        assertThat(snapshot.routable("parakeet")).isTrue();
        assertThat(snapshot.acceptsWork("parakeet")).isTrue();
        assertThat(snapshot.routable("deepgram")).isFalse();
        assertThat(snapshot.acceptsWork("deepgram")).isFalse();
    }

    @Test
    void dispatchingUtterancesReadsNoFiguresFromRedis() {
        consume("whisper", "w-1", 0);
        consume("deepgram", "d-1", 0);
        FiguresSnapshot snapshot = reader(Duration.ofSeconds(5)).read(PROVIDERS, System.currentTimeMillis());
        UtteranceDispatcher dispatcher = new UtteranceDispatcher(redis,
                new RouteChooser(PROVIDERS, new RoutingWeights(0.4, 0.3, 0.2, 0.1, 2000)), () -> snapshot,
                Duration.ofHours(1));
        Map<String, Long> before = commandCalls();

        for (int seq = 0; seq < 200; seq++) {
            dispatcher.dispatch(route(List.of()), seq, utterance());
        }

        Map<String, Long> after = commandCalls();
        assertThat(after.getOrDefault("xinfo", 0L)).isEqualTo(before.getOrDefault("xinfo", 0L));
        assertThat(after.getOrDefault("hgetall", 0L)).isEqualTo(before.getOrDefault("hgetall", 0L));
        assertThat(after.getOrDefault("xpending", 0L)).isEqualTo(before.getOrDefault("xpending", 0L));
        assertThat(after.get("xadd") - before.getOrDefault("xadd", 0L)).isEqualTo(200);
    }

    @Test
    void aConsensusUtteranceIsStoredOnceAndFannedOutToEachProvider() {
        consume("whisper", "w-1", 0);
        consume("deepgram", "d-1", 0);
        FiguresSnapshot snapshot = reader(Duration.ofSeconds(5)).read(PROVIDERS, System.currentTimeMillis());
        UtteranceDispatcher dispatcher = new UtteranceDispatcher(redis,
                new RouteChooser(PROVIDERS, new RoutingWeights(0.4, 0.3, 0.2, 0.1, 2000)), () -> snapshot,
                Duration.ofHours(1));
        Utterance utterance = utterance();

        dispatcher.dispatch(route(List.of("whisper", "deepgram")), 3, utterance);

        for (String provider : List.of("whisper", "deepgram")) {
            EntryFields fields = redis.range(StreamKeys.audioStream(provider), "-", "+", 10).getLast().fields();
            AudioChunk chunk = AudioChunkCodec.decode(fields);
            assertThat(chunk.mode()).isEqualTo(ChunkMode.CONSENSUS);
            assertThat(chunk.audio()).isNull();
            assertThat(chunk.audioRef()).isEqualTo("s-1:3");
            assertThat(chunk.consensusProviders()).containsExactly("whisper", "deepgram");
            assertThat(chunk.fallbackProviders()).isEmpty();
            assertThat(fields.string("fallback_providers")).isEmpty();
        }
        assertThat(redis.send(Request.cmd(Command.GET).arg(StreamKeys.audioBlob("s-1:3"))).toBytes())
                .isEqualTo(utterance.pcm());
        assertThat(redis.send(Request.cmd(Command.GET).arg(StreamKeys.audioBlobRefs("s-1:3"))).toString())
                .isEqualTo("2");
    }

    private FiguresReader reader(Duration liveIdle) {
        return new FiguresReader(redis, liveIdle);
    }

    private static UtteranceDispatcher.Route route(List<String> consensus) {
        return new UtteranceDispatcher.Route("s-1", "dev-1", 16000, "en", RoutingPolicy.LATENCY, consensus);
    }

    private static Utterance utterance() {
        byte[] pcm = Pcm.tone(16000, 400, 8000);
        return new Utterance(1000, 400, 400, pcm, false);
    }

    /** Creates the group, adds {@code pending} entries and lets consumer {@code name} read them. */
    private void consume(String provider, String name, int pending) {
        redis.createGroup(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider));
        enqueue(provider, pending);
        // Redis 7.0 creates a consumer only when something is delivered or claimed; workers claim every round.
        redis.send(Request.cmd(Command.XGROUP).arg("CREATECONSUMER").arg(StreamKeys.audioStream(provider))
                .arg(StreamKeys.workerGroup(provider)).arg(name));
        try (StreamReader reader = redis.openReader()) {
            reader.readGroup(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider), name, 100, null, ">");
        }
    }

    private void enqueue(String provider, int count) {
        for (int i = 0; i < count; i++) {
            redis.add(StreamKeys.audioStream(provider), EntryFields.create().put("n", i));
        }
    }

    private void report(String provider, String consumer, CircuitState circuit, long p95) {
        ProviderHealth health = new ProviderHealth(consumer, circuit, p95, 0.2, 4, System.currentTimeMillis());
        redis.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth(provider)).arg(consumer)
                .arg(health.toJson()));
    }

    private Map<String, Long> commandCalls() {
        String info = redis.send(Request.cmd(Command.INFO).arg("commandstats")).toString();
        Map<String, Long> calls = new java.util.HashMap<>();
        Matcher m = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(info);
        while (m.find()) {
            calls.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return calls;
    }
}
