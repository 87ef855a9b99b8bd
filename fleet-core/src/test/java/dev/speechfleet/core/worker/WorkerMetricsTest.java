package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.RedisPerClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The worker's meters count what its entries went through, with bounded tags. */
class WorkerMetricsTest {

    @RegisterExtension
    static final RedisPerClass redis = new RedisPerClass();
    private RedisStreams streams;
    private SimpleMeterRegistry meters;
    private StreamWorker worker;

    @BeforeEach
    void setUp() {
        streams = redis.streams();
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.stop();
        }
    }

    @Test
    void aPermanentFailureCountsOneReRouteOfItsClassAndOneCall() {
        ScriptedProvider alpha = new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400 from alpha");
        });
        start(alpha);
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", 0, List.of("beta"))));

        await().atMost(Duration.ofSeconds(15)).until(() -> counter("worker.chunks", "outcome", "rerouted") == 1);

        assertThat(counter("worker.reroutes", "error_class", "permanent")).isEqualTo(1);
        for (FailureKind other : List.of(FailureKind.RETRYABLE, FailureKind.UNAVAILABLE, FailureKind.POISON)) {
            assertThat(counter("worker.reroutes", "error_class", WorkerMetrics.errorClass(other))).isZero();
        }
        assertThat(meters.get("worker.dead_letters").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(meters.get("worker.processing").tag("provider", "alpha").timer().count()).isEqualTo(1);
        assertThat(counter("worker.retries", "provider", "alpha")).isZero();
        assertThat(meters.get("provider.cost.usd").tag("provider", "alpha").counter().count()).isZero();
    }

    @Test
    void aTranscribedChunkAddsItsCost() {
        start(new ScriptedProvider("alpha", 0.006));
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", 0, null)));

        await().atMost(Duration.ofSeconds(15)).until(() -> counter("worker.chunks", "outcome", "transcribed") == 1);

        assertThat(meters.get("provider.cost.usd").tag("provider", "alpha").counter().count())
                .isCloseTo(0.2 / 60 * 0.006, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(meters.get("worker.processing").tag("provider", "alpha").timer().count()).isEqualTo(1);
    }

    @Test
    void theGroupsLagAndPendingAreReadInMaintenanceAndGoWithTheWorker() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        alpha.behave((chunk, call) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return alpha.echo(chunk);
        });
        for (int seq = 0; seq < 4; seq++) {
            streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", seq, null)));
        }
        start(alpha); // two handler threads: two entries in hand, two waiting

        await().atMost(Duration.ofSeconds(15)).until(() -> gauge("stream.lag") == 2 && gauge("stream.pending") == 2);
        release.countDown();
        await().atMost(Duration.ofSeconds(15)).until(() -> gauge("stream.lag") == 0 && gauge("stream.pending") == 0);
        worker.stop();

        assertThat(meters.find("stream.lag").gauges()).as("a stopped worker reports no group").isEmpty();
        assertThat(meters.find("stream.pending").gauges()).isEmpty();
    }

    @Test
    void theBreakerStateIsAGaugeOfZeroOneTwo() {
        assertThat(WorkerMetrics.circuitValue(CircuitState.CLOSED)).isZero();
        assertThat(WorkerMetrics.circuitValue(CircuitState.HALF_OPEN)).isEqualTo(1);
        assertThat(WorkerMetrics.circuitValue(CircuitState.OPEN)).isEqualTo(2);
        start(new ScriptedProvider("alpha"));
        System.gc(); // the gauge must hold what it reads: a weakly held supplier reads NaN once collected
        assertThat(meters.get("provider.circuit.state").tag("provider", "alpha").gauge().value()).isZero();
        assertThat(meters.get("worker.in_flight").tag("provider", "alpha").gauge().value()).isZero();
    }

    private void start(ScriptedProvider provider) {
        worker = new StreamWorker(streams, provider, TestSettings.fast("w1"), meters,
                TestSettings.everyProviderAccepted(streams));
        worker.start();
    }

    private double gauge(String name) {
        return meters.get(name).tag("stream", StreamKeys.audioStream("alpha"))
                .tag("group", StreamKeys.workerGroup("alpha")).gauge().value();
    }

    private double counter(String name, String tag, String value) {
        return meters.find(name).tag(tag, value).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
