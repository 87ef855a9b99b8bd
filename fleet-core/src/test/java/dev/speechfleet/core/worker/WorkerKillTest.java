package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.TestRedis;
import dev.speechfleet.core.testing.WorkerProcessMain;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker JVM killed with SIGKILL while it holds pending entries loses nothing. */
class WorkerKillTest {

    private static final int CHUNKS = 30;
    private static final String STREAM = StreamKeys.audioStream("alpha");
    private static final String GROUP = StreamKeys.workerGroup("alpha");

    private TestRedis redis;
    private Process victim;
    private StreamWorker survivor;

    @BeforeEach
    void startRedis() {
        redis = TestRedis.start();
    }

    @AfterEach
    void cleanUp() {
        if (victim != null) {
            victim.destroyForcibly();
        }
        if (survivor != null) {
            survivor.stop();
        }
        redis.close();
    }

    @Test
    void entriesHeldByAKilledWorkerAreReclaimedAndNoneIsLost() throws Exception {
        RedisStreams streams = redis.streams();
        for (int seq = 0; seq < CHUNKS; seq++) {
            streams.add(STREAM, AudioChunkCodec.encode(Chunks.chunk("s1", seq, List.of())));
        }
        victim = startWorkerProcess("victim", 400, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> pendingOf("victim") > 0
                && streams.length(StreamKeys.HYPOTHESES) > 0);

        victim.destroyForcibly();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(victim.exitValue()).isEqualTo(137);
        long heldAtDeath = pendingOf("victim");
        assertThat(heldAtDeath).isPositive();

        survivor = new StreamWorker(streams, new ScriptedProvider("alpha"), TestSettings.fast("survivor", 4),
                new SimpleMeterRegistry());
        survivor.start();

        Set<String> expected = IntStream.range(0, CHUNKS).mapToObj(seq -> "s1:" + seq).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60)).until(() -> transcribedChunks().containsAll(expected));
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.pendingSummary(STREAM, GROUP).count() == 0);
        assertThat(transcribedChunks()).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(15)).until(() -> streams.consumers(STREAM, GROUP).stream()
                .noneMatch(c -> c.name().equals("victim")));
    }

    private long pendingOf(String consumer) {
        return redis.streams().consumers(STREAM, GROUP).stream().filter(c -> c.name().equals(consumer))
                .mapToLong(StreamInfo.Consumer::pending).sum();
    }

    private Set<String> transcribedChunks() {
        return redis.streams().range(StreamKeys.HYPOTHESES, "-", "+", 10_000).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).filter(Hypothesis::ok).map(Hypothesis::chunkId)
                .collect(Collectors.toSet());
    }

    private Process startWorkerProcess(String consumer, long workMillis, int concurrency) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WorkerProcessMain.class.getName(), redis.url(), "alpha", consumer, Long.toString(workMillis),
                Integer.toString(concurrency)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            // start-up log lines
        }
        assertThat(line).as("worker process output until READY").isEqualTo("READY");
        Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
        return process;
    }
}
