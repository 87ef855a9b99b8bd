package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
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

/** Failover goes only to providers someone consumes (issue 10, path 4): nothing parks on a dead stream. */
class FailoverLivenessTest {

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
    void failoverSkipsAProviderWithoutALiveConsumer() {
        reportHealth("gamma", "gamma-1");
        start(failingAlpha());
        enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta", "gamma")));

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.audioStream("gamma")) == 1);

        AudioChunk rerouted = AudioChunkCodec.decode(
                streams.range(StreamKeys.audioStream("gamma"), "-", "+", 1).getFirst().fields());
        assertThat(rerouted.attempt()).isEqualTo(2);
        assertThat(streams.length(StreamKeys.audioStream("beta"))).as("nothing parked on beta").isZero();
    }

    @Test
    void withNoLiveProviderLeftTheChunkEndsWithADeadLetterAndAFailedHypothesis() {
        start(failingAlpha());
        enqueue("alpha", Chunks.chunk("s1", 4, List.of("beta", "gamma")));

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.HYPOTHESES) == 1);

        Hypothesis failed = HypothesisCodec.decode(streams.range(StreamKeys.HYPOTHESES, "-", "+", 1).getFirst()
                .fields());
        assertThat(failed.ok()).isFalse();
        assertThat(failed.seq()).isEqualTo(4);
        assertThat(streams.length(StreamKeys.DEAD)).isEqualTo(1);
        assertThat(streams.length(StreamKeys.audioStream("beta"))).isZero();
        assertThat(streams.length(StreamKeys.audioStream("gamma"))).isZero();
    }

    @Test
    void aStaleHealthReportDoesNotCountAsALiveConsumer() {
        reportHealth("beta", "beta-1", System.currentTimeMillis() - Duration.ofMinutes(5).toMillis());
        reportHealth("gamma", "gamma-1");
        start(failingAlpha());
        enqueue("alpha", Chunks.chunk("s1", 0, List.of("beta", "gamma")));

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.audioStream("gamma")) == 1);
        assertThat(streams.length(StreamKeys.audioStream("beta"))).isZero();
    }

    private static ScriptedProvider failingAlpha() {
        return new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400 bad request");
        });
    }

    private void reportHealth(String provider, String consumer) {
        reportHealth(provider, consumer, System.currentTimeMillis());
    }

    private void reportHealth(String provider, String consumer, long at) {
        ProviderHealth health = new ProviderHealth(consumer, CircuitState.CLOSED, 100, 0.1, 1, at);
        streams.send(Request.cmd(Command.HSET).arg(StreamKeys.providerHealth(provider)).arg(consumer)
                .arg(health.toJson()));
    }

    private void start(ScriptedProvider provider) {
        StreamWorker worker = new StreamWorker(streams, provider, TestSettings.fast("w1"), new SimpleMeterRegistry());
        worker.start();
        workers.add(worker);
    }

    private void enqueue(String provider, AudioChunk chunk) {
        streams.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
    }
}
