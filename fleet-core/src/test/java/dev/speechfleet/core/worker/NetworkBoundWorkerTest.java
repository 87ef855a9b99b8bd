package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.consumer.LoopSettings;
import dev.speechfleet.core.provider.Transcript;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A provider whose calls wait on the network (a cloud API) is served on virtual threads with exactly
 * its limit of calls in flight: far more than the machine's cores, never more than the limit (ADR 0091).
 */
class NetworkBoundWorkerTest {

    private static final int LIMIT = 48;
    private static final int CHUNKS = 3 * LIMIT;
    private static final Duration LATENCY = Duration.ofMillis(300);

    private static TestRedis redis;
    private StreamWorker worker;

    @BeforeAll
    static void startRedis() {
        redis = TestRedis.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop();
        }
        redis.flush();
    }

    @Test
    void callsRunOnVirtualThreadsUpToTheProviderLimitAndNeverAbove() {
        SlowCloud cloud = new SlowCloud();
        RedisStreams streams = redis.streams();
        for (int seq = 0; seq < CHUNKS; seq++) {
            streams.add(StreamKeys.audioStream(cloud.name()), AudioChunkCodec.encode(Chunks.chunk("net", seq, null)));
        }

        worker = new StreamWorker(streams, cloud, settingsFor(cloud), new SimpleMeterRegistry(),
                TestSettings.everyProviderAccepted(streams));
        worker.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> streams.length(StreamKeys.HYPOTHESES) == CHUNKS);
        assertThat(cloud.mostInFlight.get()).as("calls in flight at once").isEqualTo(LIMIT)
                .isGreaterThan(Runtime.getRuntime().availableProcessors());
        assertThat(cloud.onPlatformThreads.get()).as("calls made on platform threads").isZero();
        assertThat(streams.range(StreamKeys.HYPOTHESES, "-", "+", CHUNKS).stream()
                .map(e -> HypothesisCodec.decode(e.fields()).seq()).distinct()).hasSize(CHUNKS);
    }

    /** As {@link WorkerLauncher} builds them: the provider's limit, virtual threads when it waits on the network. */
    private static WorkerSettings settingsFor(TranscriptionProvider provider) {
        LoopSettings loop = TestSettings.fast("net-1").loop().withHandlerThreads(provider.defaultConcurrency())
                .withVirtualThreads(provider.callsWaitOnNetwork());
        return WorkerSettings.builder("net-1", List.of(provider.name())).loop(loop).build();
    }

    /**
     * A cloud API answering after {@link #LATENCY}, counting the calls it has in flight. Its first
     * {@link #LIMIT} calls also wait until all of them have arrived, so that they are provably in flight
     * at once however slowly the worker reads (a worker held below its limit would not let them all in).
     */
    private static final class SlowCloud implements TranscriptionProvider {

        private final CountDownLatch firstWave = new CountDownLatch(LIMIT);
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger mostInFlight = new AtomicInteger();
        private final AtomicInteger onPlatformThreads = new AtomicInteger();

        @Override
        public String name() {
            return "slowcloud";
        }

        @Override
        public int defaultConcurrency() {
            return LIMIT;
        }

        @Override
        public boolean callsWaitOnNetwork() {
            return true;
        }

        @Override
        public Transcript transcribe(AudioChunk chunk) {
            if (!Thread.currentThread().isVirtual()) {
                onPlatformThreads.incrementAndGet();
            }
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                firstWave.countDown();
                firstWave.await(10, TimeUnit.SECONDS);
                Thread.sleep(LATENCY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return new Transcript("heard " + chunk.seq(), 0.9, List.of(), chunk.language(), "cloud-model");
        }
    }
}
