package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.HypothesisFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way the aggregator ends a chunk without a transcript (a dead-lettered hypothesis, a due
 * consensus chunk whose state expired) writes exactly one error result for its seq.
 */
class AggregatorDeadEndTest {

    private static final List<String> PAIR = List.of("whisper", "deepgram");

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private final List<ConsumerLoop> loops = new ArrayList<>();

    @BeforeEach
    void setUp() {
        streams = redis.streams();
    }

    @AfterEach
    void stopInstances() {
        loops.forEach(ConsumerLoop::stop);
    }

    @Test
    void malformedHypothesisWhoseSessionAndSeqCanBeReadGetsAnErrorResult() {
        EntryFields fields = HypothesisCodec.encode(Hypotheses.ok("d1", 4, "deepgram", "lost words", 0.9, 0));
        fields.put(HypothesisFields.CONFIDENCE, "very");
        streams.add(StreamKeys.HYPOTHESES, fields);
        startTwo(Duration.ofSeconds(5));

        TranscriptResult result = awaitResults("d1", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.seq()).isEqualTo(4);
        assertThat(result.chunkId()).isEqualTo("d1:4");
        assertThat(result.deviceId()).isEqualTo("esp-01");
        assertThat(result.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        assertThat(result.error()).contains("malformed").contains("confidence");
        assertThat(streams.range(StreamKeys.DEAD, "-", "+", 10)).singleElement().satisfies(d ->
                assertThat(d.fields().string(AudioFields.FAILED_PROVIDER)).isEqualTo("aggregator"));
        awaitAllHandled();
        assertThat(streams.length(StreamKeys.RESULTS_ALL)).isEqualTo(1);
    }

    @Test
    void hypothesisDeliveredTooOftenGetsExactlyOneErrorResult() {
        String id = write(Hypotheses.ok("d2", 0, "deepgram", "poison", 0.9, 0));
        deliverToCrashedInstance(id, 5);
        startTwo(Duration.ofSeconds(5));

        TranscriptResult result = awaitResults("d2", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.error()).contains("delivered 6 times");
        write(Hypotheses.ok("d2", 0, "whisper", "a late copy", 0.9, 0));
        awaitAllHandled();
        assertThat(sessionResults("d2")).hasSize(1);
    }

    @Test
    void deadLetteredConsensusHypothesisCountsAsItsProvidersFailure() {
        String id = write(Hypotheses.consensus("d3", 1, "whisper", "dim the lights", 0.8, PAIR));
        deliverToCrashedInstance(id, 5);
        startTwo(Duration.ofSeconds(60));
        write(Hypotheses.consensus("d3", 1, "deepgram", "dim the lights", 0.9, PAIR));

        TranscriptResult result = awaitResults("d3", 1).getFirst();

        assertThat(result.ok()).isTrue();
        assertThat(result.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(result.providers()).containsExactly("deepgram");
        assertThat(result.text()).isEqualTo("dim the lights");
    }

    @Test
    void consensusHypothesisWhoseHandlingKeepsFailingEndsWithAnErrorResult() {
        // The chunk's state key holds a string: collecting into it fails with WRONGTYPE every time.
        streams.send(Request.cmd(Command.SET).arg(StreamKeys.aggregatorChunk("d6", 0)).arg("not a hash"));
        startTwo(Duration.ofSeconds(60));
        write(Hypotheses.consensus("d6", 0, "whisper", "never collected", 0.8, PAIR));

        TranscriptResult result = awaitResults("d6", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(result.error()).contains("delivered");
        assertThat(streams.length(StreamKeys.DEAD)).isEqualTo(1);
        awaitAllHandled();
    }

    @Test
    void deadLetterWhoseChunkIdContradictsItsSeqGetsNoResult() {
        EntryFields fields = HypothesisCodec.encode(Hypotheses.ok("d4", 2, "deepgram", "which one", 0.9, 0));
        fields.put(HypothesisFields.CHUNK_ID, "d4:7");
        streams.add(StreamKeys.HYPOTHESES, fields);
        startTwo(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.DEAD) == 1);
        awaitAllHandled();

        assertThat(sessionResults("d4")).isEmpty();
    }

    @Test
    void dueConsensusChunkWhoseStateExpiredGetsAnErrorResult() {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        // Long enough that the state is expired below before the deadline, on a loaded machine too.
        startTwo(Duration.ofSeconds(6));
        write(Hypotheses.consensus("d5", 6, "whisper", "open the window", 0.8, PAIR));
        awaitAllHandled();
        String state = StreamKeys.aggregatorChunk("d5", 6);
        assertThat(streams.send(Request.cmd(Command.EXISTS).arg(state)).toLong()).isEqualTo(1);
        // The state expires before the chunk is decided (the safety TTL ran out).
        streams.send(Request.cmd(Command.PEXPIRE).arg(state).arg(1));

        TranscriptResult result = awaitResults("d5", 1).getFirst();

        assertThat(result.ok()).isFalse();
        assertThat(result.seq()).isEqualTo(6);
        assertThat(result.chunkId()).isEqualTo("d5:6");
        assertThat(result.mode()).isEqualTo(ChunkMode.CONSENSUS);
        assertThat(result.errorCode()).isEqualTo(TranscriptResult.TRANSCRIPTION_FAILED);
        assertThat(result.error()).contains("expired");
        await().atMost(Duration.ofSeconds(5)).until(() ->
                streams.send(Request.cmd(Command.ZCARD).arg(StreamKeys.AGGREGATOR_DEADLINES)).toLong() == 0);
    }

    /** Makes {@code id} pending under an instance that took it {@code times} times and crashed each time. */
    private void deliverToCrashedInstance(String id, int times) {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        streams.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(StreamKeys.AGGREGATOR_GROUP).arg("crashed")
                .arg("COUNT").arg(1).arg("STREAMS").arg(StreamKeys.HYPOTHESES).arg(">"));
        streams.send(Request.cmd(Command.XCLAIM).arg(StreamKeys.HYPOTHESES).arg(StreamKeys.AGGREGATOR_GROUP)
                .arg("crashed").arg(0).arg(id).arg("RETRYCOUNT").arg(times));
    }

    private void startTwo(Duration consensusTimeout) {
        for (String name : List.of("aggregator-a", "aggregator-b")) {
            ConsumerLoop loop = AggregatorLoop.create(streams, TestAggregatorSettings.fast(name, consensusTimeout),
                    new SimpleMeterRegistry());
            loop.start();
            loops.add(loop);
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
}
