package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.liveness.LivenessReader;
import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stranded-entry sweeper on real Redis (issue 10, path 4). Providers alpha, beta, gamma. */
class StrandedEntrySweeperTest {

    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Short, so that a consumer that just died (the "ghost") soon stops counting as live. */
    private static final Duration LIVE_IDLE = Duration.ofMillis(500);

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private final Set<String> served = new java.util.concurrent.CopyOnWriteArraySet<>();

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @Test
    void anEntryOlderThanTheDeadlineOnAStreamNobodyConsumesMovesToTheNextLiveProvider() {
        reportHealth("gamma");
        enqueue("beta", Chunks.chunk("s1", 0, List.of("alpha", "gamma")));
        Sweep sweep = sweeper("r1", Set.of());

        await().atMost(WAIT).until(() -> sweep.once() == 1);

        List<AudioChunk> onGamma = chunks("gamma");
        assertThat(onGamma).singleElement().satisfies(moved -> {
            assertThat(moved.attempt()).isEqualTo(2);
            assertThat(moved.fallbackProviders()).containsExactly("alpha");
            assertThat(moved.errorHistory()).singleElement().satisfies(e -> {
                assertThat(e.provider()).isEqualTo("beta");
                assertThat(e.kind()).isEqualTo(FailureKind.UNAVAILABLE);
                assertThat(e.message()).contains("no live consumer");
            });
        });
        assertThat(chunks("alpha")).as("alpha has no consumer either").isEmpty();
        assertThat(pending("beta")).isZero();
        assertThat(failures()).singleElement().satisfies(f -> {
            assertThat(f.action()).isEqualTo(FailureEvent.ACTION_REROUTED);
            assertThat(f.nextProvider()).isEqualTo("gamma");
        });
    }

    @Test
    void anEntryYoungerThanTheDeadlineStaysUndelivered() {
        reportHealth("gamma");
        createGroup("beta");
        enqueue("beta", Chunks.chunk("s1", 0, List.of("gamma")));
        Sweep sweep = sweeper("r1", Set.of(), Duration.ofMinutes(1), Duration.ofMinutes(5));

        assertThat(sweep.once()).isZero();

        assertThat(streams.length(StreamKeys.audioStream("beta"))).isEqualTo(1);
        assertThat(streams.groups(StreamKeys.audioStream("beta")).getFirst().lag()).isEqualTo(1);
        assertThat(chunks("gamma")).isEmpty();
        assertThat(consumers("beta")).as("the sweeper did not stay in the group").isEmpty();
    }

    @Test
    void withNoProviderLeftToTakeItTheEntryEndsWithADeadLetterAndAFailedHypothesis() {
        enqueue("beta", Chunks.chunk("s1", 6, List.of("alpha", "gamma")));
        Sweep sweep = sweeper("r1", Set.of());

        await().atMost(WAIT).until(() -> sweep.once() == 1);

        List<Hypothesis> hypotheses = hypotheses();
        assertThat(hypotheses).singleElement().satisfies(h -> {
            assertThat(h.ok()).isFalse();
            assertThat(h.seq()).isEqualTo(6);
            assertThat(h.provider()).isEqualTo("beta");
            assertThat(h.error()).contains("no live consumer");
        });
        List<StreamEntry> dead = streams.range(StreamKeys.DEAD, "-", "+", 10);
        assertThat(dead).hasSize(1);
        assertThat(AudioChunkCodec.decode(dead.getFirst().fields()).audio())
                .isEqualTo(Chunks.chunk("s1", 6, null).audio());
        assertThat(chunks("alpha")).isEmpty();
        assertThat(chunks("gamma")).isEmpty();
        assertThat(pending("beta")).isZero();
    }

    @Test
    void anEntryPendingOnADeadConsumerPastTheDeadlineIsMoved() {
        reportHealth("gamma");
        String id = enqueue("beta", Chunks.chunk("s1", 0, List.of("gamma")));
        deliverToGhost("beta");
        Sweep sweep = sweeper("r1", Set.of());

        await().atMost(WAIT).until(() -> sweep.once() == 1);

        assertThat(chunks("gamma")).hasSize(1);
        assertThat(pending("beta")).isZero();
        assertThat(streams.range(StreamKeys.FAILURES, "-", "+", 10)).hasSize(1);
        assertThat(streams.pending(StreamKeys.audioStream("beta"), StreamKeys.workerGroup("beta"), id, id, 1, "ghost"))
                .as("the ghost no longer holds it").isEmpty();
    }

    @Test
    void aStreamWithoutAGroupGetsOneFromItsStartAndItsEntriesAreMoved() {
        reportHealth("gamma");
        enqueue("beta", Chunks.chunk("s1", 0, List.of("gamma")));
        enqueue("beta", Chunks.chunk("s1", 1, List.of("gamma")));
        Sweep sweep = sweeper("r1", Set.of());

        await().atMost(WAIT).until(() -> sweep.once() == 2);

        assertThat(streams.groups(StreamKeys.audioStream("beta"))).singleElement()
                .satisfies(g -> assertThat(g.name()).isEqualTo(StreamKeys.workerGroup("beta")));
        assertThat(chunks("gamma")).extracting(AudioChunk::seq).containsExactly(0L, 1L);
    }

    @Test
    void aMissingStreamIsNotCreated() {
        Sweep sweep = sweeper("r1", Set.of());

        assertThat(sweep.once()).isZero();

        assertThat(streams.send(Request.cmd(Command.EXISTS).arg(StreamKeys.audioStream("beta"))).toLong()).isZero();
    }

    @Test
    void aProviderWithALiveConsumerIsLeftAlone() {
        reportHealth("beta");
        reportHealth("gamma");
        enqueue("beta", Chunks.chunk("s1", 0, List.of("gamma")));
        Sweep sweep = sweeper("r1", Set.of());

        // Well past the deadline, round after round, nothing is taken from a served stream.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> sweep.once() == 0);

        assertThat(chunks("gamma")).isEmpty();
        assertThat(streams.groups(StreamKeys.audioStream("beta"))).as("not even a group is created").isEmpty();
    }

    @Test
    void aScaleFromZeroProviderKeepsItsEntriesForTheLongerDeadline() {
        createGroup("beta");
        enqueue("beta", Chunks.chunk("s1", 0, List.of("gamma")));
        reportHealth("gamma");
        Sweep sweep = sweeper("r1", Set.of("beta"), DEADLINE, Duration.ofMinutes(5));
        enqueue("alpha", Chunks.chunk("s1", 1, List.of("beta", "gamma")));

        await().atMost(WAIT).until(() -> sweep.once() == 1);

        assertThat(chunks("beta")).as("the waiting entry, and the one moved to the sleeping provider")
                .extracting(AudioChunk::seq).containsExactly(0L, 1L);
        assertThat(chunks("gamma")).isEmpty();
        assertThat(streams.groups(StreamKeys.audioStream("beta")).getFirst().lag())
                .as("KEDA sees the lag that wakes beta").isEqualTo(2);
    }

    @Test
    void onlyMovedEntriesAreTrimmed() {
        reportHealth("gamma");
        for (int seq = 0; seq < 300; seq++) {
            enqueue("beta", Chunks.chunk("s1", seq, List.of("gamma")));
        }
        Sweep sweep = sweeper("r1", Set.of(), Duration.ofSeconds(2), Duration.ofMinutes(5));
        await().atMost(WAIT).until(() -> {
            sweep.once();
            return chunks("gamma").size() == 300;
        });
        String young = enqueue("beta", Chunks.chunk("s1", 300, List.of("gamma")));
        sweep.once();

        List<StreamEntry> left = streams.range(StreamKeys.audioStream("beta"), "-", "+", 1000);
        assertThat(left).extracting(StreamEntry::id).contains(young);
        assertThat(left.size()).as("moved entries were trimmed").isLessThan(301);
        assertThat(chunks("gamma")).as("the young entry stays").hasSize(300);
        assertThat(streams.groups(StreamKeys.audioStream("beta")).getFirst().lag()).isEqualTo(1);
    }

    @Test
    void twoSweepersAtOnceMoveEachEntryExactlyOnce() throws Exception {
        reportHealth("gamma");
        int count = 400;
        for (int seq = 0; seq < count; seq++) {
            enqueue("beta", Chunks.chunk("s1", seq, List.of("gamma")));
        }
        createGroup("beta");
        for (int i = 0; i < 100; i++) {
            deliverToGhost("beta");
        }
        // Two router instances: each its own connections to Redis.
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        RedisStreams secondRouter = new RedisStreams(io.vertx.redis.client.Redis.createClient(vertx, redis.url()),
                Duration.ofSeconds(5));
        List<Sweep> sweepers = List.of(sweeper("r1", Set.of()), sweeper(secondRouter, "r2", Set.of(), DEADLINE,
                Duration.ofMinutes(5)));
        AtomicInteger moved = new AtomicInteger();

        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (Sweep sweep : sweepers) {
                runs.add(CompletableFuture.runAsync(() -> {
                    // A budget for a loaded machine: the loop ends as soon as every entry moved.
                    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (moved.get() < count && System.nanoTime() < end) {
                        moved.addAndGet(sweep.once());
                    }
                }, pool));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get();
        } finally {
            vertx.close();
        }

        List<AudioChunk> onGamma = chunks("gamma");
        assertThat(onGamma).hasSize(count);
        assertThat(onGamma.stream().map(AudioChunk::chunkId).distinct().count()).isEqualTo(count);
        assertThat(moved.get()).isEqualTo(count);
        assertThat(failures()).hasSize(count);
        assertThat(pending("beta")).isZero();
        assertThat(consumers("beta")).as("both sweepers left; the ghost is a worker's business")
                .containsExactly("ghost");
    }

    @Test
    void aSweeperNeverCountsAsALiveConsumer() {
        createGroup("beta");
        streams.send(Request.cmd(Command.XGROUP).arg("CREATECONSUMER").arg(StreamKeys.audioStream("beta"))
                .arg(StreamKeys.workerGroup("beta")).arg(ConsumerNames.sweeper("router-1")));

        assertThat(new LivenessReader(streams, Duration.ofSeconds(30)).read("beta", System.currentTimeMillis())
                .live()).isFalse();
    }

    /**
     * A sweeper with its own liveness view, refreshed before each round as the router's background
     * refresh does, while the served providers' workers go on reporting health.
     */
    private final class Sweep {
        private final StrandedEntrySweeper sweeper;
        private final ProviderAvailability view;

        Sweep(StrandedEntrySweeper sweeper, ProviderAvailability view) {
            this.sweeper = sweeper;
            this.view = view;
        }

        int once() {
            served.forEach(StrandedEntrySweeperTest.this::publishHealth);
            view.refresh();
            return sweeper.sweep();
        }
    }

    private Sweep sweeper(String instance, Set<String> scaleFromZero) {
        return sweeper(instance, scaleFromZero, DEADLINE, Duration.ofMinutes(5));
    }

    private Sweep sweeper(String instance, Set<String> scaleFromZero, Duration deadline, Duration sfzDeadline) {
        return sweeper(streams, instance, scaleFromZero, deadline, sfzDeadline);
    }

    private Sweep sweeper(RedisStreams client, String instance, Set<String> scaleFromZero, Duration deadline,
            Duration sfzDeadline) {
        ProviderAvailability view = new ProviderAvailability(client, LIVE_IDLE, TestSettings.CHAIN,
                scaleFromZero, Clock.systemUTC());
        StrandedEntrySweeper sweeper = new StrandedEntrySweeper(client, TestSettings.CHAIN,
                new StrandedEntrySweeper.Settings(deadline, sfzDeadline, 16, scaleFromZero),
                TestSettings.fast(ConsumerNames.sweeper(instance)), view, new SimpleMeterRegistry(), Clock.systemUTC());
        return new Sweep(sweeper, view);
    }

    /** {@code provider}'s worker is alive: it reports health before every round. */
    private void reportHealth(String provider) {
        served.add(provider);
        publishHealth(provider);
    }

    private void publishHealth(String provider) {
        ProviderHealth health = new ProviderHealth(provider + "-1", CircuitState.CLOSED, 100, 0.1, 1,
                System.currentTimeMillis());
        streams.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth(provider)).arg(provider + "-1")
                .arg(health.toJson()));
    }

    private void createGroup(String provider) {
        streams.createGroup(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider));
    }

    /** Delivers the next undelivered entry to a consumer that then "dies". */
    private void deliverToGhost(String provider) {
        createGroup(provider);
        streams.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(StreamKeys.workerGroup(provider)).arg("ghost")
                .arg("COUNT").arg(1).arg("STREAMS").arg(StreamKeys.audioStream(provider)).arg(">"));
    }

    private String enqueue(String provider, AudioChunk chunk) {
        return streams.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
    }

    private List<AudioChunk> chunks(String provider) {
        return streams.range(StreamKeys.audioStream(provider), "-", "+", 10_000).stream()
                .map(e -> AudioChunkCodec.decode(e.fields())).toList();
    }

    private List<Hypothesis> hypotheses() {
        return streams.range(StreamKeys.HYPOTHESES, "-", "+", 100).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).toList();
    }

    private List<FailureEvent> failures() {
        return streams.range(StreamKeys.FAILURES, "-", "+", 10_000).stream()
                .map(e -> FailureEvent.decode(e.fields())).toList();
    }

    private long pending(String provider) {
        return streams.pendingSummary(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).count();
    }

    private List<String> consumers(String provider) {
        return streams.consumers(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).stream()
                .map(c -> c.name()).toList();
    }
}
