package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.provider.TranscriptionException;
import dev.speechfleet.core.redis.AudioBlobStore;
import dev.speechfleet.core.redis.ConsumerGroup;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.redis.StreamReader;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.EmbeddedRedisCluster;
import dev.speechfleet.core.testing.ScriptedProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker and the shared Redis chores on a real three-primary Redis Cluster, through the same
 * cluster-aware client {@code quarkus.redis.client-type=cluster} configures: provider streams, the
 * hypotheses stream and a blob's keys live on different nodes, and every command must reach the
 * node that owns its key.
 */
class RedisClusterWorkerTest {

    private static EmbeddedRedisCluster cluster;
    private final List<StreamWorker> workers = new ArrayList<>();
    private RedisStreams streams;

    @BeforeAll
    static void startCluster() {
        cluster = EmbeddedRedisCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void flush() {
        cluster.flush();
        streams = cluster.streams();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(StreamWorker::stop);
    }

    @Test
    void theFleetsKeysAreSpreadOverSeveralNodes() {
        Set<String> owners = new HashSet<>();
        for (String key : List.of(StreamKeys.audioStream("alpha"), StreamKeys.audioStream("beta"),
                StreamKeys.HYPOTHESES, StreamKeys.FAILURES, StreamKeys.audioBlob("s1:0"))) {
            owners.add(ownerOf(key));
        }
        assertThat(owners).as("nodes owning the keys these tests use").hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void chunksBecomeHypothesesAndTheStreamIsTrimmed() {
        start(new ScriptedProvider("alpha"), "w1");
        for (int seq = 0; seq < 20; seq++) {
            streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s" + seq, seq, null)));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> hypotheses().size() == 20);

        assertThat(hypotheses()).allSatisfy(h -> assertThat(h.ok()).isTrue());
        awaitNothingPending("alpha");
        await("trimmed below the last delivered entry").atMost(Duration.ofSeconds(10))
                .until(() -> streams.length(StreamKeys.audioStream("alpha")) < 20);
        assertThat(streams.groups(StreamKeys.audioStream("alpha"))).singleElement()
                .satisfies(g -> assertThat(g.lag()).isZero());
    }

    @Test
    void aFailedChunkIsReroutedToAStreamOnAnotherNode() {
        // beta's consumer first: alpha's worker reads which providers are live when it starts, and a
        // provider with no consumer yet is no re-route target (the chunk would end as a dead end)
        start(new ScriptedProvider("beta"), "w2");
        await().atMost(Duration.ofSeconds(10)).until(() -> !streams.consumers(StreamKeys.audioStream("beta"),
                StreamKeys.workerGroup("beta")).isEmpty());
        start(new ScriptedProvider("alpha").behave((chunk, call) -> {
            throw TranscriptionException.permanent("HTTP 400 from alpha");
        }), "w1");
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", 0, List.of("beta"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> hypotheses().size() == 1);

        assertThat(hypotheses()).singleElement().satisfies(h -> assertThat(h.provider()).isEqualTo("beta"));
        // alpha's worker logs the failure event just after the re-route, so beta may answer first.
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.FAILURES) == 1);
        awaitNothingPending("alpha");
        awaitNothingPending("beta");
    }

    @Test
    void anEntryLeftByADeadConsumerIsReclaimed() {
        String stream = StreamKeys.audioStream("alpha");
        String group = StreamKeys.workerGroup("alpha");
        streams.createGroup(stream, group);
        streams.add(stream, AudioChunkCodec.encode(Chunks.chunk("s1", 0, null)));
        try (StreamReader ghost = streams.openReader()) {
            assertThat(ghost.readGroup(stream, group, "ghost", 1, null, ">")).hasSize(1);
        }

        start(new ScriptedProvider("alpha"), "w1");

        await().atMost(Duration.ofSeconds(30)).until(() -> hypotheses().size() == 1);
        awaitNothingPending("alpha");
    }

    @Test
    void aBlockingReadWakesUpForAnEntryAddedThroughTheCluster() throws Exception {
        String stream = StreamKeys.audioStream("alpha");
        String group = StreamKeys.workerGroup("alpha");
        streams.createGroup(stream, group);
        try (StreamReader reader = streams.openReader()) {
            CompletableFuture<List<StreamEntry>> read = CompletableFuture.supplyAsync(
                    () -> reader.readGroup(stream, group, "r1", 1, Duration.ofSeconds(20), ">"));
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !read.isDone());
            String id = streams.add(stream, AudioChunkCodec.encode(Chunks.chunk("s1", 0, null)));

            assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).extracting(StreamEntry::id)
                    .containsExactly(id);
        }
    }

    @Test
    void sharedAudioIsReleasedOncePerHolderInOneSlot() {
        AudioBlobStore blobs = new AudioBlobStore(streams);
        blobs.store("s1:0", new byte[] {1, 2, 3}, 2, Duration.ofMinutes(5));

        assertThat(blobs.release("s1:0", "alpha")).isEqualTo(1);
        assertThat(blobs.release("s1:0", "alpha")).as("the same holder again").isEqualTo(1);
        assertThat(blobs.load("s1:0")).containsExactly(1, 2, 3);
        assertThat(blobs.release("s1:0", "beta")).isZero();
        assertThat(blobs.load("s1:0")).isNull();
    }

    @Test
    void aConsensusChunkWithSharedAudioIsTranscribedByEachProvider() {
        AudioBlobStore blobs = new AudioBlobStore(streams);
        AudioChunk base = Chunks.chunk("s1", 0, List.of());
        String ref = blobs.store(base.chunkId(), base.audio(), 2, Duration.ofMinutes(5));
        for (String provider : List.of("alpha", "beta")) {
            AudioChunk entry = base.toBuilder().audio(null).audioRef(ref).mode(ChunkMode.CONSENSUS)
                    .consensusProviders(List.of("alpha", "beta")).build();
            streams.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(entry));
        }
        start(new ScriptedProvider("alpha"), "w1");
        start(new ScriptedProvider("beta"), "w2");

        await().atMost(Duration.ofSeconds(30)).until(() -> hypotheses().size() == 2);

        assertThat(hypotheses()).extracting(Hypothesis::provider).containsExactlyInAnyOrder("alpha", "beta");
        await("blob deleted with its last reference").atMost(Duration.ofSeconds(10))
                .until(() -> blobs.load(ref) == null);
    }

    @Test
    void aDepartedConsumerIsRemovedByTheScriptOnTheStreamsNode() {
        String stream = StreamKeys.audioStream("alpha");
        String group = StreamKeys.workerGroup("alpha");
        new ConsumerGroup(streams, stream, group, "gone").create();
        ConsumerGroup live = new ConsumerGroup(streams, stream, group, "live");
        live.create();

        await().atMost(Duration.ofSeconds(10)).until(() -> live.removeDepartedConsumers(Duration.ofMillis(200)) == 1);

        assertThat(streams.consumers(stream, group)).extracting(c -> c.name()).containsExactly("live");
    }

    @Test
    void aSubscriberOnTheClusterHearsWhatIsPublishedThroughIt() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        RedisConnection connection = streams.client().connect().toCompletionStage().toCompletableFuture()
                .get(5, java.util.concurrent.TimeUnit.SECONDS);
        try {
            connection.handler(message -> {
                if ((message.type() == ResponseType.PUSH || message.type() == ResponseType.MULTI)
                        && message.size() >= 3 && "message".equals(message.get(0).toString())) {
                    heard.add(message.get(2).toString());
                }
            });
            connection.send(Request.cmd(Command.SUBSCRIBE).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL))
                    .toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                streams.send(Request.cmd(Command.PUBLISH).arg(StreamKeys.RESULTS_NOTIFY_CHANNEL).arg("s1"));
                return heard.contains("s1");
            });
        } finally {
            connection.close();
        }
    }

    private String ownerOf(String key) {
        long slot = cluster.node(0).send(Request.cmd(Command.CLUSTER).arg("KEYSLOT").arg(key)).toLong();
        for (Response range : cluster.node(0).send(Request.cmd(Command.CLUSTER).arg("SLOTS"))) {
            if (range.get(0).toLong() <= slot && slot <= range.get(1).toLong()) {
                return range.get(2).get(1).toString();
            }
        }
        throw new AssertionError("no node owns slot " + slot);
    }

    private void start(ScriptedProvider provider, String consumer) {
        StreamWorker worker = new StreamWorker(streams, provider, TestSettings.fast(consumer),
                new SimpleMeterRegistry());
        worker.start();
        workers.add(worker);
    }

    private List<Hypothesis> hypotheses() {
        return streams.range(StreamKeys.HYPOTHESES, "-", "+", 1000).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).toList();
    }

    private void awaitNothingPending(String provider) {
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.pendingSummary(StreamKeys.audioStream(provider),
                StreamKeys.workerGroup(provider)).count() == 0);
    }
}
