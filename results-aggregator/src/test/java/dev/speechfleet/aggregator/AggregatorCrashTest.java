package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An aggregator in its own JVM is killed with SIGKILL in the middle of a backlog, holding pending
 * entries and open consensus chunks; a surviving instance must leave no chunk without exactly one result.
 */
class AggregatorCrashTest {

    private static final int SINGLE_CHUNKS = 300;
    private static final int CONSENSUS_CHUNKS = 60;
    private static final List<String> REQUESTED = List.of("whisper", "deepgram", "parakeet");

    private TestRedis redis;
    private RedisStreams streams;
    private Process doomed;
    private ConsumerLoop survivor;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.start();
        streams = redis.streams();
    }

    @AfterEach
    void cleanUp() {
        if (survivor != null) {
            survivor.stop();
        }
        if (doomed != null && doomed.isAlive()) {
            doomed.destroyForcibly();
        }
        redis.close();
    }

    @Test
    void instanceKilledMidwayLeavesNoChunkWithoutExactlyOneResult() throws Exception {
        streams.createGroup(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        doomed = startAggregatorProcess("doomed");
        // Consensus chunks first: whisper and deepgram answer, parakeet stays silent, so each one waits
        // for its 3 s deadline and is still open in Redis when the process dies.
        for (int seq = 0; seq < CONSENSUS_CHUNKS; seq++) {
            write(Hypotheses.consensus("crash-c", seq, "whisper", "turn it up " + seq, 0.8, REQUESTED));
            write(Hypotheses.consensus("crash-c", seq, "deepgram", "turn it up " + seq, 0.9, REQUESTED));
        }
        for (int seq = 0; seq < SINGLE_CHUNKS; seq++) {
            write(Hypotheses.ok("crash-s", seq, "deepgram", "line " + seq, 0.9, 0.001));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> streams.length(StreamKeys.sessionResults("crash-s")) >= 20);

        doomed.destroyForcibly();
        assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long openAtKill = streams.send(Request.cmd(Command.ZCARD).arg(StreamKeys.AGGREGATOR_DEADLINES)).toLong();
        long heldAtKill = pendingOf("doomed");
        long resultsAtKill = streams.length(StreamKeys.sessionResults("crash-s"))
                + streams.length(StreamKeys.sessionResults("crash-c"));
        System.out.printf("killed doomed (SIGKILL) with %d open consensus chunk(s), %d entr(ies) pending, "
                + "%d of %d results written%n", openAtKill, heldAtKill, resultsAtKill, SINGLE_CHUNKS + CONSENSUS_CHUNKS);
        assertThat(openAtKill).isPositive();
        assertThat(resultsAtKill).isLessThan(SINGLE_CHUNKS + CONSENSUS_CHUNKS);

        survivor = AggregatorLoop.create(streams, TestAggregatorSettings.fast("survivor", Duration.ofSeconds(3)),
                new SimpleMeterRegistry());
        survivor.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> results("crash-s").size() >= SINGLE_CHUNKS
                && results("crash-c").size() >= CONSENSUS_CHUNKS);
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingOf("doomed") == 0 && groupPending() == 0);
        assertExactlyOneResultPerSeq(results("crash-s"), SINGLE_CHUNKS);
        assertExactlyOneResultPerSeq(results("crash-c"), CONSENSUS_CHUNKS);
        assertThat(results("crash-c")).allSatisfy(r -> {
            assertThat(r.mode()).isEqualTo(ChunkMode.CONSENSUS);
            assertThat(r.providers()).containsExactly("deepgram", "whisper");
            assertThat(r.text()).isEqualTo("turn it up " + r.seq());
        });
    }

    private Process startAggregatorProcess(String consumer) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Path log = Files.createDirectories(Path.of("target")).resolve("crash-" + consumer + ".log");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AggregatorProcess.class.getName(), redis.url(), consumer, "3000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void write(Hypothesis h) {
        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(h));
    }

    private List<TranscriptResult> results(String session) {
        return streams.range(StreamKeys.sessionResults(session), "-", "+", 10_000).stream()
                .map(e -> TranscriptResultCodec.decode(e.fields())).toList();
    }

    private long pendingOf(String consumer) {
        return streams.consumers(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).stream()
                .filter(c -> c.name().equals(consumer)).mapToLong(StreamInfo.Consumer::pending).sum();
    }

    private long groupPending() {
        return streams.pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count();
    }

    private static void assertExactlyOneResultPerSeq(List<TranscriptResult> results, int chunks) {
        Map<Long, Long> perSeq = results.stream().collect(Collectors.groupingBy(TranscriptResult::seq,
                Collectors.counting()));
        assertThat(perSeq).hasSize(chunks);
        assertThat(perSeq.values()).containsOnly(1L);
        assertThat(perSeq.keySet()).allMatch(seq -> seq >= 0 && seq < chunks);
    }
}
