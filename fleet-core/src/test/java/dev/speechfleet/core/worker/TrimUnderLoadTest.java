package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.LoopSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Trimming runs continuously under load and never removes an entry that is pending. */
class TrimUnderLoadTest {

    private static final String STREAM = StreamKeys.audioStream("alpha");
    private static final String GROUP = StreamKeys.workerGroup("alpha");
    private static final int CHUNKS = 600;

    private TestRedis redis;
    private StreamWorker worker;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.start();
    }

    @AfterEach
    void stop() {
        if (worker != null) {
            worker.stop();
        }
        redis.close();
    }

    @Test
    void trimmingUnderLoadKeepsEveryPendingEntryAndBoundsTheStream() throws Exception {
        RedisStreams streams = redis.streams();
        streams.createGroup(STREAM, GROUP);
        String ghostId = holdOneEntryInAGhostConsumer(streams);
        ScriptedProvider alpha = new ScriptedProvider("alpha").slow(Duration.ofMillis(1), Duration.ofMillis(8));
        worker = new StreamWorker(streams, alpha, loadSettings(), new SimpleMeterRegistry());
        worker.start();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().start(() -> produce(streams, producing));
        PendingAudit audit = new PendingAudit(streams);
        while (producing.get()) {
            audit.checkOnce();
        }
        producer.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.length(StreamKeys.HYPOTHESES) == CHUNKS);
        audit.checkOnce();

        assertThat(audit.violations.get()).as("pending entries missing from the stream").isZero();
        assertThat(audit.pendingChecked.get()).as("pending entries audited").isGreaterThan(100);
        assertThat(streams.range(STREAM, ghostId, ghostId, 1)).as("the ghost's pending entry").hasSize(1);
        assertThat(streams.length(STREAM)).as("nothing above the oldest pending entry is trimmed")
                .isGreaterThanOrEqualTo(CHUNKS);

        streams.ack(STREAM, GROUP, List.of(ghostId));
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(STREAM) <= 100);
        assertThat(streams.pendingSummary(STREAM, GROUP).count()).isZero();
    }

    @Test
    void trimmingWithNothingHeldBackKeepsTheStreamSmall() throws Exception {
        RedisStreams streams = redis.streams();
        worker = new StreamWorker(streams, new ScriptedProvider("alpha"), loadSettings(), new SimpleMeterRegistry());
        worker.start();
        AtomicBoolean producing = new AtomicBoolean(true);
        Thread producer = Thread.ofPlatform().start(() -> produce(streams, producing));
        PendingAudit audit = new PendingAudit(streams);
        long longest = 0;
        while (producing.get()) {
            audit.checkOnce();
            longest = Math.max(longest, streams.length(STREAM));
        }
        producer.join();
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.length(StreamKeys.HYPOTHESES) == CHUNKS);

        assertThat(audit.violations.get()).isZero();
        assertThat(longest).as("longest the stream got while %d chunks went through", CHUNKS).isLessThan(CHUNKS);
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(STREAM) <= 100);
    }

    private static WorkerSettings loadSettings() {
        LoopSettings loop = LoopSettings.builder().handlerThreads(4).reads(8, Duration.ofMillis(50))
                .claims(Duration.ofSeconds(60), Duration.ofMillis(50))
                .departures(Duration.ofMinutes(10), Duration.ofSeconds(5)).build();
        return WorkerSettings.builder("w1", TestSettings.CHAIN).loop(loop)
                .retries(2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(1)).maxDeliveries(3)
                .maxAttempts(8).caps(10_000, 10_000).build();
    }

    private static String holdOneEntryInAGhostConsumer(RedisStreams streams) {
        String id = streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("ghost", 0, List.of())));
        streams.send(Request.cmd(Command.XREADGROUP).arg("GROUP").arg(GROUP).arg("ghost").arg("COUNT").arg(1)
                .arg("STREAMS").arg(STREAM).arg(">"));
        return id;
    }

    private static void produce(RedisStreams streams, AtomicBoolean producing) {
        try {
            for (int seq = 0; seq < CHUNKS; seq++) {
                streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("load", seq, List.of())));
                if (seq % 20 == 0) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producing.set(false);
        }
    }

    /** Checks that every entry XPENDING lists still exists in the stream. */
    private static final class PendingAudit {
        private final RedisStreams streams;
        final AtomicLong pendingChecked = new AtomicLong();
        final AtomicLong violations = new AtomicLong();

        PendingAudit(RedisStreams streams) {
            this.streams = streams;
        }

        void checkOnce() {
            for (StreamInfo.Pending pending : streams.pending(STREAM, GROUP, "-", "+", 1000, null)) {
                // Look in the stream first, then whether it is still pending: an entry acknowledged (and
                // then trimmed) between the two looks is no violation, and an acknowledged entry never
                // becomes pending again, so "missing, and still pending afterwards" is one.
                boolean missing = streams.range(STREAM, pending.id(), pending.id(), 1).isEmpty();
                boolean stillPending = !streams.pending(STREAM, GROUP, pending.id(), pending.id(), 1, null).isEmpty();
                if (missing && stillPending) {
                    violations.incrementAndGet();
                }
                pendingChecked.incrementAndGet();
            }
        }
    }
}
