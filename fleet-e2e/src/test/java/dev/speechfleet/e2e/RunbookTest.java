package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.AudioFields;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs every command of the runbook in docs/operations.md, word for word, against the Redis of a
 * running fleet, and checks each reply has the fields and the shape of the output the document
 * shows. The fleet has served devices, rerouted around a Deepgram outage and dead-lettered one chunk,
 * so every command has something to show; the re-drive command must put that chunk back to work.
 */
class RunbookTest {

    private TestRedis redis;
    private CloudMocks cloud;
    private SmallFleet fleet;
    private Vertx vertx;
    private Redis cli;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        cloud = new CloudMocks();
        vertx = Vertx.vertx();
        // redis-cli speaks RESP2: so does this client, so that replies have redis-cli's shapes.
        cli = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url())
                .setPreferredProtocolVersion(ProtocolVersion.RESP2));
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        cli.close();
        vertx.close();
        cloud.close();
        redis.close();
    }

    @Test
    void everyRunbookCommandGivesTheOutputTheDocumentShows() throws Exception {
        fleet = SmallFleet.start(Map.of("quarkus.redis.hosts", redis.url()), cloud);
        RedisStreams streams = redis.streams();
        fleet.awaitWorkersLive(streams);
        DeviceReport served = fleet.run(List.of(fleet.device("kitchen", VoicedBursts.of(2, 900, 800), List.of())))
                .getFirst();
        assertThat(served.healthy()).isTrue();
        cloud.failDeepgram();
        DeviceReport rerouted = fleet.run(List.of(fleet.device("hall", VoicedBursts.of(1, 900, 800), List.of(),
                "accuracy"))).getFirst();
        assertThat(rerouted.healthy()).as("the hall device, served through the outage").isTrue();
        assertThat(rerouted.transcripts()).as("the hall device's transcripts, rerouted to parakeet: %s",
                rerouted.results()).isEqualTo(rerouted.results().size());
        String deadId = deadLetterOneChunk(streams);
        await("nothing pending anywhere").atMost(Duration.ofSeconds(30)).until(() -> nothingPending(streams));
        double parakeetTranscribed = parakeetTranscribed();

        String markdown = Files.readString(Path.of(System.getProperty("fleet.root", "..")).resolve("docs/operations.md"));
        List<RunbookDocument.Step> steps = RunbookDocument.steps(markdown, Map.of("session_id", served.sessionId(),
                "dead-letter-id", deadId));
        List<String> mismatches = new ArrayList<>();
        for (RunbookDocument.Step step : steps) {
            Object actual = RedisCliText.tree(send(step.words()));
            List<String> differences = RedisCliText.shapeDifferences(RedisCliText.parse(step.expectedOutput()), actual);
            if (!differences.isEmpty()) {
                mismatches.add("redis-cli " + step.display() + "\n  " + String.join("\n  ", differences)
                        + "\n  actual output:\n" + RedisCliText.format(actual).indent(4));
            }
        }

        assertThat(steps).as("runbook commands").hasSizeGreaterThanOrEqualTo(10);
        assertThat(steps).extracting(s -> s.words().getFirst() + (s.words().getFirst().equals("XINFO")
                ? " " + s.words().get(1) : "")).contains("XINFO GROUPS", "XINFO CONSUMERS", "XINFO STREAM",
                        "XPENDING", "XRANGE", "EVAL");
        assertThat(mismatches).isEmpty();
        awaitRedrivenChunkTranscribed(streams, parakeetTranscribed);
    }

    /**
     * A chunk whose chain is exhausted while Deepgram is down ends in transcription:dead. Its own dead
     * letter is the one re-driven: another chunk of the run may be dead-lettered too (a device's
     * chunk routed while the router saw no other live provider), and it may come first.
     */
    private String deadLetterOneChunk(RedisStreams streams) {
        AudioChunk chunk = Chunks.chunk("runbook-dead", 0, List.of());
        streams.add(StreamKeys.audioStream("deepgram"), AudioChunkCodec.encode(chunk));
        return await("the chunk is dead-lettered").atMost(Duration.ofSeconds(60))
                .until(() -> deadLetterOf(streams, chunk.chunkId()), java.util.Objects::nonNull);
    }

    private static String deadLetterOf(RedisStreams streams, String chunkId) {
        for (StreamEntry entry : streams.range(StreamKeys.DEAD, "-", "+", 1000)) {
            if (chunkId.equals(entry.fields().string(AudioFields.CHUNK_ID))) {
                return entry.id();
            }
        }
        return null;
    }

    /**
     * The re-drive step sent the dead chunk to Parakeet, which transcribed it: with nothing else in
     * flight, Parakeet's worker counts exactly one more transcribed entry. Counted, not read from
     * transcription:hypotheses: the aggregator trims acknowledged hypotheses at any moment.
     */
    private void awaitRedrivenChunkTranscribed(RedisStreams streams, double before) throws Exception {
        try {
            await("the re-driven chunk transcribed by parakeet").atMost(Duration.ofSeconds(30))
                    .until(() -> parakeetTranscribed() == before + 1);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nparakeet transcribed " + parakeetTranscribed()
                    + ", before the re-drive " + before
                    + "\nparakeet pending: " + streams.pendingSummary(StreamKeys.audioStream("parakeet"),
                            StreamKeys.workerGroup("parakeet")).count()
                    + "\ndead letters: " + streams.range(StreamKeys.DEAD, "-", "+", 100).stream()
                            .map(d -> d.id() + " " + d.fields().string(AudioFields.CHUNK_ID) + " "
                                    + d.fields().string(AudioFields.FINAL_ERROR)).toList()
                    + "\nparakeet's log:\n" + fleet.log("parakeet"), e);
        }
    }

    private double parakeetTranscribed() throws Exception {
        return fleet.scrape("parakeet").sum("worker_chunks_total", "provider", "parakeet", "outcome", "transcribed")
                .orElse(0);
    }

    private static boolean nothingPending(RedisStreams streams) {
        for (String provider : SmallFleet.PROVIDERS) {
            if (streams.pendingSummary(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).count() > 0) {
                return false;
            }
        }
        return streams.pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count() == 0;
    }

    private Response send(List<String> words) {
        Request request = Request.cmd(Command.create(words.getFirst()));
        words.subList(1, words.size()).forEach(request::arg);
        return RedisStreamsOf.await(cli.send(request));
    }

    /** Blocking wait on a client future, for the test thread. */
    private static final class RedisStreamsOf {
        static Response await(io.vertx.core.Future<Response> future) {
            try {
                return future.toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("redis command failed: " + e.getMessage(), e);
            }
        }
    }
}
