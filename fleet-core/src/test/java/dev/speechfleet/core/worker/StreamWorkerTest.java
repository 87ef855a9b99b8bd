package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StreamWorkerTest {

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private final List<StreamWorker> workers = new ArrayList<>();
    private RedisStreams streams;

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(StreamWorker::stop);
    }

    @Test
    void chunkBecomesExactlyOneHypothesisAndIsAcknowledged() {
        ScriptedProvider alpha = new ScriptedProvider("alpha", 0.006);
        start(alpha, "w1");
        AudioChunk chunk = Chunks.chunk("s1", 0, null);
        enqueue("alpha", chunk);

        List<Hypothesis> hypotheses = awaitHypotheses(1);

        Hypothesis h = hypotheses.getFirst();
        assertThat(h.chunkId()).isEqualTo("s1:0");
        assertThat(h.ok()).isTrue();
        assertThat(h.provider()).isEqualTo("alpha");
        assertThat(h.text()).isEqualTo("alpha heard 0");
        assertThat(h.costUsd()).isCloseTo(0.2 / 60 * 0.006, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(h.traceparent()).isEqualTo(chunk.traceparent());
        awaitNothingPending("alpha");
        assertThat(alpha.callsFor("s1:0")).isEqualTo(1);
    }

    @Test
    void retryableFailureIsRetriedThenReroutedWithItsHistory() {
        ScriptedProvider alpha = new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.retryable("HTTP 503 from alpha");
        });
        start(alpha, "w1");
        enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta", "gamma")));

        AudioChunk rerouted = awaitSingleEntry("beta");

        assertThat(alpha.callsFor("s1:0")).isEqualTo(1 + TestSettings.fast("x").maxRetries());
        assertThat(rerouted.attempt()).isEqualTo(2);
        assertThat(rerouted.originalProvider()).isEqualTo("alpha");
        assertThat(rerouted.fallbackProviders()).containsExactly("gamma");
        assertThat(rerouted.errorHistory()).singleElement().satisfies(e -> {
            assertThat(e.provider()).isEqualTo("alpha");
            assertThat(e.kind()).isEqualTo(FailureKind.RETRYABLE);
            assertThat(e.message()).contains("503");
        });
        assertThat(rerouted.audio()).isEqualTo(Chunks.chunk("s1", 0, null).audio());
        // The failure event is logged just after the re-route.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(failures()).singleElement()
                .satisfies(f -> {
                    assertThat(f.action()).isEqualTo(FailureEvent.ACTION_REROUTED);
                    assertThat(f.nextProvider()).isEqualTo("beta");
                }));
        awaitNothingPending("alpha");
        assertThat(streams.length(StreamKeys.HYPOTHESES)).isZero();
    }

    @Test
    void retryableFailureThatRecoversYieldsAHypothesis() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        alpha.behave((chunk, call) -> {
            if (call == 1) {
                throw TranscriptionException.retryable("HTTP 429");
            }
            return alpha.echo(chunk);
        });
        start(alpha, "w1");
        enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta")));

        assertThat(awaitHypotheses(1)).singleElement().satisfies(h -> assertThat(h.ok()).isTrue());
        assertThat(alpha.callsFor("s1:0")).isEqualTo(2);
        awaitNothingPending("alpha");
        assertThat(streams.length(StreamKeys.audioStream("beta"))).isZero();
    }

    @Test
    void permanentFailureIsReroutedAtOnce() {
        ScriptedProvider alpha = new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("corrupt or unsupported data");
        });
        start(alpha, "w1");
        enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta")));

        AudioChunk rerouted = awaitSingleEntry("beta");

        assertThat(alpha.callsFor("s1:0")).isEqualTo(1);
        assertThat(rerouted.errorHistory().getFirst().kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(rerouted.fallbackProviders()).isEmpty();
        awaitNothingPending("alpha");
    }

    @Test
    void entryWithoutFallbackListFollowsTheDefaultChain() {
        ScriptedProvider beta = new ScriptedProvider("beta").behave((chunk, call) -> {
            throw TranscriptionException.unavailable("HTTP 402 payment required");
        });
        start(beta, "w1");
        enqueue("beta", Chunks.chunk("s1", 0, null));

        AudioChunk rerouted = awaitSingleEntry("alpha");

        assertThat(beta.callsFor("s1:0")).isEqualTo(1);
        assertThat(rerouted.fallbackProviders()).containsExactly("gamma");
    }

    @Test
    void exhaustedChainIsDeadLetteredWithAFailedHypothesis() {
        ScriptedProvider alpha = new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("bad audio");
        });
        start(alpha, "w1");
        AudioChunk chunk = Chunks.chunk("s1", 7, List.of());
        enqueue("alpha", chunk);

        Hypothesis failed = awaitHypotheses(1).getFirst();

        assertThat(failed.ok()).isFalse();
        assertThat(failed.seq()).isEqualTo(7);
        assertThat(failed.error()).contains("bad audio");
        List<StreamEntry> dead = streams.range(StreamKeys.DEAD, "-", "+", 10);
        assertThat(dead).hasSize(1);
        AudioChunk deadChunk = AudioChunkCodec.decode(dead.getFirst().fields());
        assertThat(deadChunk.audio()).isEqualTo(chunk.audio());
        assertThat(deadChunk.errorHistory()).hasSize(1);
        assertThat(dead.getFirst().fields().string(AudioFields.FINAL_ERROR)).contains("PERMANENT");
        // The failure event is logged just after the failed hypothesis.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(failures()).singleElement()
                .satisfies(f -> assertThat(f.action()).isEqualTo(FailureEvent.ACTION_DEAD)));
        awaitNothingPending("alpha");
    }

    @Test
    void entryOverTheDeliveryLimitIsReroutedWithoutCallingTheProvider() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        String id = enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta")));
        deliverToGhost("alpha", id, TestSettings.fast("x").maxDeliveries());
        start(alpha, "w1");

        AudioChunk rerouted = awaitSingleEntry("beta");

        assertThat(alpha.callsFor("s1:0")).isZero();
        assertThat(rerouted.errorHistory().getFirst().kind()).isEqualTo(FailureKind.POISON);
        assertThat(rerouted.errorHistory().getFirst().message()).contains("delivered 4 times");
        awaitNothingPending("alpha");
    }

    @Test
    void entryLeftPendingByADeadConsumerIsReclaimedAndTranscribed() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        String id = enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta")));
        deliverToGhost("alpha", id, 1);
        start(alpha, "w1");

        assertThat(awaitHypotheses(1)).singleElement().satisfies(h -> assertThat(h.ok()).isTrue());
        assertThat(alpha.callsFor("s1:0")).isEqualTo(1);
        awaitNothingPending("alpha");
    }

    @Test
    void pendingEntryDeletedFromTheStreamIsAcknowledged() {
        String stream = StreamKeys.audioStream("alpha");
        String id = enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta")));
        deliverToGhost("alpha", id, 1);
        streams.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XDEL).arg(stream).arg(id));
        start(new ScriptedProvider("alpha"), "w1");

        awaitNothingPending("alpha");
        assertThat(streams.length(StreamKeys.HYPOTHESES)).isZero();
    }

    @Test
    void departedConsumerHoldingNothingIsRemovedFromTheGroup() {
        String stream = StreamKeys.audioStream("alpha");
        streams.createGroup(stream, StreamKeys.workerGroup("alpha"));
        streams.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XGROUP).arg("CREATECONSUMER")
                .arg(stream).arg(StreamKeys.workerGroup("alpha")).arg("ghost"));
        start(new ScriptedProvider("alpha"), "w1");

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.consumers(stream, StreamKeys.workerGroup("alpha"))
                .stream().map(c -> c.name()).toList().equals(List.of("w1")));
    }

    @Test
    void workerNeverHoldsMoreEntriesThanItsConcurrency() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        alpha.behave((chunk, call) -> {
            awaitQuietly(release);
            return alpha.echo(chunk);
        });
        start(alpha, TestSettings.fast("w1", 2));
        for (int seq = 0; seq < 10; seq++) {
            enqueue("alpha", Chunks.chunk("s1", seq, List.of()));
        }
        String stream = StreamKeys.audioStream("alpha");
        String group = StreamKeys.workerGroup("alpha");
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.pendingSummary(stream, group).count() == 2);
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> streams.pendingSummary(stream, group).count() == 2);

        release.countDown();

        awaitHypotheses(10);
        assertThat(alpha.maxConcurrent()).isEqualTo(2);
        awaitNothingPending("alpha");
    }

    @Test
    void audioStoredAsABlobIsReadAndReleased() {
        dev.speechfleet.core.redis.AudioBlobStore blobs = new dev.speechfleet.core.redis.AudioBlobStore(streams);
        AudioChunk inline = Chunks.chunk("s1", 0, List.of());
        String ref = blobs.store(inline.chunkId(), inline.audio(), 1, Duration.ofHours(1));
        AudioChunk byRef = inline.toBuilder().audio(null).audioRef(ref).consensusProviders(List.of())
                .traceparent(null).keyterms(List.of()).build();
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        start(alpha, "w1");
        enqueue("alpha", byRef);

        awaitHypotheses(1);

        assertThat(alpha.calls().getFirst().audio()).isEqualTo(inline.audio());
        await().atMost(Duration.ofSeconds(5)).until(() -> blobs.load(ref) == null);
    }

    @Test
    void stoppingFinishesTheChunkInFlightAndLeavesWaitingRetriesPending() {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        alpha.behave((chunk, call) -> {
            if (chunk.seq() == 1) {
                // Long enough that no retry runs out before the stop below, on a loaded machine too.
                throw new TranscriptionException(FailureKind.RETRYABLE, "slow down", Duration.ofSeconds(5), null);
            }
            started.countDown();
            awaitQuietly(release);
            return alpha.echo(chunk);
        });
        StreamWorker worker = start(alpha, TestSettings.fast("w1", 2, Duration.ofSeconds(10)));
        enqueue("alpha", Chunks.chunk("s1", 0, List.of()));
        enqueue("alpha", Chunks.chunk("s1", 1, List.of()));
        awaitQuietly(started);
        await().atMost(Duration.ofSeconds(5)).until(() -> alpha.callsFor("s1:1") == 1);

        Thread stopper = Thread.ofPlatform().start(worker::stop);
        await().atMost(Duration.ofSeconds(5)).until(() -> worker.state() == ConsumerLoop.State.STOPPING);
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> !stopper.isAlive());

        assertThat(worker.state()).isEqualTo(ConsumerLoop.State.STOPPED);
        assertThat(hypotheses()).extracting(Hypothesis::chunkId).containsExactly("s1:0");
        List<dev.speechfleet.core.redis.StreamInfo.Pending> pending = streams.pending(StreamKeys.audioStream("alpha"),
                StreamKeys.workerGroup("alpha"), "-", "+", 10, null);
        assertThat(pending).singleElement().satisfies(p -> assertThat(p.consumer()).isEqualTo("w1"));
    }

    @Test
    void malformedEntryIsDeadLetteredAndDoesNotStopTheWorker() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        start(alpha, "w1");
        streams.add(StreamKeys.audioStream("alpha"), dev.speechfleet.core.stream.EntryFields.create()
                .put("chunk_id", "s1:0").put("seq", "not-a-number"));
        enqueue("alpha", Chunks.chunk("s1", 1, List.of()));

        awaitHypotheses(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> streams.length(StreamKeys.DEAD) == 1);
        assertThat(streams.range(StreamKeys.DEAD, "-", "+", 1).getFirst().fields().string(AudioFields.FINAL_ERROR))
                .contains("malformed");
        awaitNothingPending("alpha");
    }

    @Test
    void healthIsPublishedForTheRouterAndWithdrawnOnStop() {
        StreamWorker worker = start(new ScriptedProvider("alpha"), "w1");
        String key = StreamKeys.providerHealth("alpha");

        await().atMost(Duration.ofSeconds(5)).until(() -> healthOf(key, "w1") != null);
        dev.speechfleet.core.provider.ProviderHealth health =
                dev.speechfleet.core.provider.ProviderHealth.fromJson(healthOf(key, "w1"));
        assertThat(health.circuit()).isEqualTo(dev.speechfleet.core.provider.CircuitState.CLOSED);
        assertThat(health.concurrency()).isEqualTo(2);

        worker.stop();
        assertThat(healthOf(key, "w1")).isNull();
    }

    @Test
    void whatTheProviderServesIsPublishedAtStartInItsHealthAndUnderItsCapabilitiesKey() throws Exception {
        dev.speechfleet.core.provider.ProviderCapabilities german = new dev.speechfleet.core.provider
                .ProviderCapabilities(java.util.Set.of("de", "de-CH"), java.util.Set.of(16000));
        start(new ScriptedProvider("alpha").serving(german), "w1");

        io.vertx.redis.client.Response stored = streams.send(io.vertx.redis.client.Request.cmd(
                io.vertx.redis.client.Command.GET).arg(StreamKeys.providerCapabilities("alpha")));
        assertThat(stored).as("written when the worker starts").isNotNull();
        assertThat(dev.speechfleet.core.provider.ProviderCapabilities.readFrom(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(stored.toString()))).contains(german);
        long ttl = streams.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PTTL)
                .arg(StreamKeys.providerCapabilities("alpha"))).toLong();
        assertThat(ttl).isGreaterThan(Duration.ofDays(1).toMillis());
        String key = StreamKeys.providerHealth("alpha");
        await().atMost(Duration.ofSeconds(5)).until(() -> healthOf(key, "w1") != null);
        assertThat(dev.speechfleet.core.provider.ProviderHealth.fromJson(healthOf(key, "w1")).capabilities())
                .contains(german);
    }

    @Test
    void theProviderIsToldOnceWhenItsWorkerStops() {
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        StreamWorker worker = start(alpha, "w1");
        assertThat(alpha.stoppingCalls()).isZero();

        worker.stop();
        worker.stop();

        assertThat(alpha.stoppingCalls()).isEqualTo(1);
    }

    private String healthOf(String key, String consumer) {
        io.vertx.redis.client.Response r = streams.send(io.vertx.redis.client.Request.cmd(
                io.vertx.redis.client.Command.HGET).arg(key).arg(consumer));
        return r == null ? null : r.toString();
    }

    /** Makes {@code id} pending under a consumer that then "dies", delivered {@code times} times. */
    private void deliverToGhost(String provider, String id, int times) {
        String stream = StreamKeys.audioStream(provider);
        String group = StreamKeys.workerGroup(provider);
        streams.createGroup(stream, group);
        streams.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XREADGROUP).arg("GROUP")
                .arg(group).arg("ghost").arg("COUNT").arg(1).arg("STREAMS").arg(stream).arg(">"));
        for (int i = 1; i < times; i++) {
            streams.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XCLAIM).arg(stream)
                    .arg(group).arg("ghost").arg(0).arg(id));
        }
    }

    private AudioChunk awaitSingleEntry(String provider) {
        String stream = StreamKeys.audioStream(provider);
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(stream) >= 1);
        List<StreamEntry> entries = streams.range(stream, "-", "+", 10);
        assertThat(entries).hasSize(1);
        return AudioChunkCodec.decode(entries.getFirst().fields());
    }

    private List<FailureEvent> failures() {
        return streams.range(StreamKeys.FAILURES, "-", "+", 100).stream()
                .map(e -> FailureEvent.decode(e.fields())).toList();
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StreamWorker start(ScriptedProvider provider, String consumer) {
        return start(provider, TestSettings.fast(consumer));
    }

    private StreamWorker start(ScriptedProvider provider, WorkerSettings settings) {
        StreamWorker worker = new StreamWorker(streams, provider, settings, new SimpleMeterRegistry(),
                TestSettings.everyProviderAccepted(streams));
        worker.start();
        workers.add(worker);
        return worker;
    }

    private String enqueue(String provider, AudioChunk chunk) {
        return streams.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
    }

    private List<Hypothesis> awaitHypotheses(int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.HYPOTHESES) >= count);
        return hypotheses();
    }

    private List<Hypothesis> hypotheses() {
        return streams.range(StreamKeys.HYPOTHESES, "-", "+", 10_000).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).toList();
    }

    private void awaitNothingPending(String provider) {
        await().atMost(Duration.ofSeconds(15)).until(() -> streams
                .pendingSummary(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).count() == 0);
    }
}
