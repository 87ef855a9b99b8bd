package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.LoopSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.EntryFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the worker itself costs: chunks per second through read → provider → hypothesis → ack with
 * a provider that answers at once, so the figure is the fleet's overhead per chunk on real Redis.
 * CI runs the small case; {@code -Pslow -Dtest=WorkerThroughputBenchmarkTest -Dbenchmark.chunks=5000}
 * the full one (figures in docs/benchmarks.md).
 */
class WorkerThroughputBenchmarkTest {

    private static final int CHUNKS = Integer.getInteger("benchmark.chunks", 300);
    private static TestRedis redis;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @ParameterizedTest(name = "concurrency {0}")
    @CsvSource({"1", "4", "16"})
    void chunksPerSecondThroughTheWorker(int concurrency) {
        redis.flush();
        RedisStreams streams = redis.streams();
        EntryFields entry = AudioChunkCodec.encode(Chunks.chunk("bench", 0, List.of()));
        for (int i = 0; i < CHUNKS; i++) {
            streams.add(StreamKeys.audioStream("alpha"), entry);
        }
        LoopSettings loop = LoopSettings.builder().handlerThreads(concurrency)
                .reads(Math.max(16, concurrency), Duration.ofMillis(100))
                .claims(Duration.ofSeconds(60), Duration.ofSeconds(5))
                .departures(Duration.ofMinutes(10), Duration.ofSeconds(5)).build();
        WorkerSettings settings = WorkerSettings.builder("bench", TestSettings.CHAIN).loop(loop)
                .retries(0, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1)).maxDeliveries(3)
                .maxAttempts(8).caps(10_000, 10_000).build();
        StreamWorker worker = new StreamWorker(streams, new ScriptedProvider("alpha"), settings,
                new SimpleMeterRegistry());

        long started = System.nanoTime();
        worker.start();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> streams.length(StreamKeys.HYPOTHESES) == CHUNKS);
        double seconds = (System.nanoTime() - started) / 1e9;
        worker.stop();

        double rate = CHUNKS / seconds;
        System.out.printf(Locale.ROOT, "worker throughput: concurrency %2d, %d chunks of 200 ms in %.2f s = %.0f chunks/s%n",
                concurrency, CHUNKS, seconds, rate);
        assertThat(streams.pendingSummary(StreamKeys.audioStream("alpha"), StreamKeys.workerGroup("alpha")).count())
                .isZero();
    }
}
