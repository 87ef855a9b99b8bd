package dev.speechfleet.core.worker;

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
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamWorkerTest {

    private static TestRedis redis;
    private final List<StreamWorker> workers = new ArrayList<>();
    private RedisStreams streams;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void flush() {
        redis.flush();
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

    private StreamWorker start(ScriptedProvider provider, String consumer) {
        return start(provider, TestSettings.fast(consumer));
    }

    private StreamWorker start(ScriptedProvider provider, WorkerSettings settings) {
        StreamWorker worker = new StreamWorker(streams, provider, settings, new SimpleMeterRegistry());
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
