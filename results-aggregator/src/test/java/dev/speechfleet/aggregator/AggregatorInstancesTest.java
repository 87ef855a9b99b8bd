package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two aggregator instances sharing group {@code aggregator} on a real Redis. */
class AggregatorInstancesTest {

    private static final List<String> THREE = List.of("whisper", "deepgram", "parakeet");

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private final List<ConsumerLoop> loops = new ArrayList<>();
    private final List<SimpleMeterRegistry> registries = new ArrayList<>();

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @AfterEach
    void stopInstances() {
        loops.forEach(ConsumerLoop::stop);
    }

    @Test
    void duplicatesOfAChunkProduceOneResult() {
        startTwo(Duration.ofSeconds(5));
        Hypothesis first = Hypotheses.ok("s1", 3, "deepgram", "open the door", 0.9, 0.002);
        write(first);
        write(first);
        // Only once deepgram's result is in: the instances' handlers would otherwise race to emit.
        awaitResults("s1", 1);
        write(Hypotheses.ok("s1", 3, "whisper", "open the drawer", 0.8, 0.0));
        write(first);

        awaitAllHandled();

        List<TranscriptResult> results = sessionResults("s1");
        assertThat(results).hasSize(1);
        assertThat(results.getFirst().text()).isEqualTo("open the door");
        assertThat(results.getFirst().provider()).isEqualTo("deepgram");
        assertThat(streams.length(StreamKeys.RESULTS_ALL)).isEqualTo(1);
        assertThat(counter("aggregator.duplicates")).isEqualTo(3);
        assertThat(outcomes("emitted")).isEqualTo(1);
        assertThat(outcomes("duplicate")).isEqualTo(3);
    }

    @Test
    void resultCarriesTheChunkFiguresAndItsSessionStreamExpires() {
        startTwo(Duration.ofSeconds(5));
        Hypothesis h = Hypotheses.ok("s2", 0, "deepgram", "hello there", 0.93, 0.0031);
        write(h);

        TranscriptResult result = awaitResults("s2", 1).getFirst();

        assertThat(result.ok()).isTrue();
        assertThat(result.seq()).isZero();
        assertThat(result.chunkId()).isEqualTo("s2:0");
        assertThat(result.deviceId()).isEqualTo("esp-01");
        assertThat(result.confidence()).isEqualTo(0.93);
        assertThat(result.providers()).containsExactly("deepgram");
        assertThat(result.startMs()).isEqualTo(Hypotheses.START_MS);
        assertThat(result.endMs()).isEqualTo(Hypotheses.START_MS + Hypotheses.DURATION_MS);
        assertThat(result.latencyMs()).isGreaterThanOrEqualTo(500);
        assertThat(result.costUsd()).isEqualTo(0.0031);
        assertThat(result.words()).extracting(TranscriptResult.ResultWord::provider).containsOnly("deepgram");
        long ttl = streams.send(Request.cmd(Command.PTTL).arg(StreamKeys.sessionResults("s2"))).toLong();
        assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
    }

    @Test
    void eachResultIsAnnouncedOnTheNotifyChannel() throws Exception {
        List<String> announced = new CopyOnWriteArrayList<>();
        RedisConnection subscriber = redis.streams().client().connect().toCompletionStage().toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        try {
            subscriber.handler(message -> collectMessage(message, announced));
            subscriber.send(Request.cmd(Command.SUBSCRIBE).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            startTwo(Duration.ofSeconds(5));

            write(Hypotheses.ok("s3", 7, "whisper", "good morning", 0.8, 0));

            await().atMost(Duration.ofSeconds(10)).until(() -> announced.contains("s3"));
        } finally {
            subscriber.close();
        }
    }

    @Test
    void failedHypothesisBecomesAnErrorResultForItsSeq() {
        startTwo(Duration.ofSeconds(5));
        write(Hypotheses.failed("s4", 5, "parakeet", "chain exhausted: parakeet returned HTTP 400"));

        TranscriptResult result = awaitResults("s4", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.seq()).isEqualTo(5);
        assertThat(result.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        assertThat(result.error()).contains("HTTP 400");
    }

    @Test
    void failedHypothesisAfterAResultIsDropped() {
        startTwo(Duration.ofSeconds(5));
        write(Hypotheses.ok("s5", 1, "deepgram", "all good", 0.9, 0));
        awaitResults("s5", 1);
        write(Hypotheses.failed("s5", 1, "whisper", "late failure of a re-routed copy"));

        awaitAllHandled();

        assertThat(sessionResults("s5")).singleElement().satisfies(r -> assertThat(r.ok()).isTrue());
    }

    @Test
    void consensusChunkWaitsForEveryRequestedProvider() {
        startTwo(Duration.ofSeconds(30));
        write(Hypotheses.consensus("s6", 2, "whisper", "switch the kitchen light on", 0.7, THREE));
        write(Hypotheses.consensus("s6", 2, "deepgram", "switch the chicken light on", 0.9, THREE));
        awaitAllHandled();

        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3))
                .until(() -> streams.length(StreamKeys.sessionResults("s6")) == 0);
        write(Hypotheses.consensus("s6", 2, "parakeet", "switch the kitchen light on", 0.6, THREE));

        TranscriptResult result = awaitResults("s6", 1).getFirst();
        assertThat(result.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(result.provider()).isEqualTo("consensus");
        assertThat(result.providers()).containsExactlyInAnyOrderElementsOf(THREE);
        assertThat(result.text()).isEqualTo("switch the kitchen light on");
        assertThat(result.agreement()).isCloseTo((4 + 2 / 3.0) / 5, offset(1e-9));
        assertThat(result.words()).filteredOn(w -> w.word().equals("kitchen"))
                .extracting(TranscriptResult.ResultWord::provider).containsExactly("whisper");
        assertThat(result.costUsd()).isCloseTo(0.003, offset(1e-12));
        assertThat(counter("aggregator.consensus.timeouts")).isZero();
        // The deciding handler forgets the deadline just after writing and announcing the result.
        await().atMost(Duration.ofSeconds(5)).until(() -> zcard() == 0);
    }

    @Test
    void consensusChunkIsDecidedAtItsDeadlineWhenAProviderIsSilent() {
        startTwo(Duration.ofSeconds(1));
        long firstWritten = System.currentTimeMillis();
        write(Hypotheses.consensus("s7", 0, "whisper", "play some music", 0.8, THREE));
        write(Hypotheses.consensus("s7", 0, "deepgram", "play some music", 0.9, THREE));

        TranscriptResult result = awaitResults("s7", 1).getFirst();

        assertThat(result.producedAtMillis() - firstWritten).isGreaterThanOrEqualTo(1000);
        assertThat(result.providers()).containsExactly("deepgram", "whisper");
        assertThat(result.text()).isEqualTo("play some music");
        // The sweeper counts the timeout just after writing the result the test has already seen.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(counter("aggregator.consensus.timeouts")).isEqualTo(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> zcard() == 0);
    }

    @Test
    void lateHypothesisOfADecidedConsensusChunkIsDropped() {
        startTwo(Duration.ofSeconds(1));
        write(Hypotheses.consensus("s8", 4, "whisper", "stop", 0.8, THREE));
        awaitResults("s8", 1);
        write(Hypotheses.consensus("s8", 4, "parakeet", "stop now", 0.9, THREE));

        awaitAllHandled();

        assertThat(sessionResults("s8")).singleElement()
                .satisfies(r -> assertThat(r.providers()).containsExactly("whisper"));
        assertThat(counter("aggregator.duplicates")).isEqualTo(1);
    }

    @Test
    void consensusChunkWhoseProvidersAllFailedGetsAnErrorResult() {
        startTwo(Duration.ofSeconds(30));
        List<String> two = List.of("whisper", "deepgram");
        write(Hypotheses.consensusFailed("s9", 1, "whisper", two));
        write(Hypotheses.consensusFailed("s9", 1, "deepgram", two));

        TranscriptResult result = awaitResults("s9", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        assertThat(result.error()).contains("whisper returned HTTP 500").contains("deepgram returned HTTP 500");
    }

    @Test
    void malformedHypothesisIsDeadLetteredAndTheNextOneStillHandled() {
        startTwo(Duration.ofSeconds(5));
        streams.add(StreamKeys.HYPOTHESES, EntryFields.create().put("v", 1).put("chunk_id", "bad:1")
                .put("status", "ok"));
        write(Hypotheses.ok("s10", 0, "deepgram", "still working", 0.9, 0));

        awaitResults("s10", 1);
        awaitAllHandled();

        List<StreamEntry> dead = streams.range(StreamKeys.DEAD, "-", "+", 10);
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.fields().string(AudioFields.FINAL_ERROR)).contains("malformed").contains("session_id");
            assertThat(d.fields().string(AudioFields.FAILED_PROVIDER)).isEqualTo("aggregator");
            assertThat(d.fields().string("chunk_id")).isEqualTo("bad:1");
        });
    }

    @Test
    void hypothesisDeliveredTooOftenIsDeadLetteredInsteadOfLooping() {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        String id = write(Hypotheses.ok("s11", 0, "deepgram", "poison", 0.9, 0));
        // A consumer that took it and crashed, again and again: Redis records the deliveries.
        streams.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(StreamKeys.AGGREGATOR_GROUP).arg("crashed")
                .arg("COUNT").arg(1).arg("STREAMS").arg(StreamKeys.HYPOTHESES).arg(">"));
        streams.send(Request.cmd(Command.XCLAIM).arg(StreamKeys.HYPOTHESES).arg(StreamKeys.AGGREGATOR_GROUP)
                .arg("crashed").arg(0).arg(id).arg("RETRYCOUNT").arg(5));
        startTwo(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.DEAD) == 1);

        awaitAllHandled();
        assertThat(streams.range(StreamKeys.DEAD, "-", "+", 1).getFirst().fields().string(AudioFields.FINAL_ERROR))
                .contains("delivered 6 times");
        // The device hears of it: one error result for the seq (issue 10, path 5).
        assertThat(awaitResults("s11", 1)).singleElement().satisfies(r -> {
            assertThat(r.ok()).isFalse();
            assertThat(r.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        });
    }

    @Test
    void handledHypothesesAreTrimmedFromTheStream() {
        startTwo(Duration.ofSeconds(5));
        for (int seq = 0; seq < 400; seq++) {
            write(Hypotheses.ok("s12", seq, "deepgram", "line " + seq, 0.9, 0));
        }

        awaitResults("s12", 400);

        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.HYPOTHESES) < 400);
    }

    @Test
    void resultWrittenByAnInstanceThatDiedBeforeAcknowledgingIsAnnouncedOnceNotWrittenAgain() {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        Hypothesis h = Hypotheses.ok("s14", 2, "deepgram", "half done", 0.9, 0);
        String id = write(h);
        // What a crashed instance leaves: it took the entry and wrote the result, then died.
        streams.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(StreamKeys.AGGREGATOR_GROUP).arg("crashed")
                .arg("COUNT").arg(1).arg("STREAMS").arg(StreamKeys.HYPOTHESES).arg(">"));
        AggregatorSettings settings = TestAggregatorSettings.fast("crashed", Duration.ofSeconds(5));
        ResultFactory results = new ResultFactory(new Rover(0.7, 0.6), Clock.systemUTC());
        new ResultWriter(streams, settings).emitOnce(results.single(h), id);
        assertThat(streams.length(StreamKeys.RESULTS_ALL)).isZero();

        startTwo(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.RESULTS_ALL) == 1);
        awaitAllHandled();
        assertThat(sessionResults("s14")).hasSize(1);
        assertThat(counter("aggregator.duplicates")).isZero();
    }

    @Test
    void instanceThatLeftHoldingNothingIsRemovedFromTheGroup() {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        streams.send(Request.cmd(Command.XGROUP).arg("CREATECONSUMER").arg(StreamKeys.HYPOTHESES)
                .arg(StreamKeys.AGGREGATOR_GROUP).arg("scaled-down"));
        assertThat(consumerNames()).containsExactly("scaled-down");

        startTwo(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(15)).until(() -> !consumerNames().contains("scaled-down"));
        // Redis 7.0 does not refresh a consumer's idle time on reads that return nothing, so a live
        // instance on a quiet stream may be removed too; it holds nothing and re-registers on its
        // next delivery, which is what this checks.
        write(Hypotheses.ok("s13", 0, "deepgram", "still here", 0.9, 0));
        awaitResults("s13", 1);
        assertThat(consumerNames()).isNotEmpty().isSubsetOf("aggregator-a", "aggregator-b");
    }

    private List<String> consumerNames() {
        return streams.consumers(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).stream()
                .map(StreamInfo.Consumer::name).toList();
    }

    private void startTwo(Duration consensusTimeout) {
        for (String name : List.of("aggregator-a", "aggregator-b")) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            ConsumerLoop loop = AggregatorLoop.create(streams, TestAggregatorSettings.fast(name, consensusTimeout),
                    registry);
            loop.start();
            loops.add(loop);
            registries.add(registry);
        }
    }

    private String write(Hypothesis h) {
        return streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(h));
    }

    private void awaitAllHandled() {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<StreamInfo.Group> groups = streams.groups(StreamKeys.HYPOTHESES);
            return groups.size() == 1 && groups.getFirst().pending() == 0 && groups.getFirst().lag() == 0;
        });
    }

    private List<TranscriptResult> awaitResults(String session, int count) {
        await().atMost(Duration.ofSeconds(15)).until(() -> sessionResults(session).size() >= count);
        return sessionResults(session);
    }

    private List<TranscriptResult> sessionResults(String session) {
        return streams.range(StreamKeys.sessionResults(session), "-", "+", 10_000).stream()
                .map(e -> TranscriptResultCodec.decode(e.fields())).toList();
    }

    private long zcard() {
        return streams.send(Request.cmd(Command.ZCARD).arg(StreamKeys.AGGREGATOR_DEADLINES)).toLong();
    }

    private double counter(String name) {
        return registries.stream().mapToDouble(r -> r.find(name).counters().stream()
                .mapToDouble(Counter::count).sum()).sum();
    }

    private double outcomes(String outcome) {
        return registries.stream().mapToDouble(r -> r.find("aggregator.hypotheses").tag("outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum()).sum();
    }

    private static void collectMessage(Response message, List<String> into) {
        if (message != null && message.size() >= 3 && "message".equals(message.get(0).toString())) {
            into.add(message.get(2).toString());
        }
    }
}
