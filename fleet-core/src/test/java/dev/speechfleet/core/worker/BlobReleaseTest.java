package dev.speechfleet.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.AudioBlobStore;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A consensus entry redelivered after its worker released the shared audio but before it
 * acknowledged must not release it a second time: the other provider's entry still needs it.
 */
class BlobReleaseTest {

    private static final List<String> PAIR = List.of("alpha", "beta");

    private TestRedis redis;
    private RedisStreams streams;
    private Vertx vertx;
    private StreamWorker alphaWorker;
    private StreamWorker betaWorker;

    @BeforeEach
    void start() {
        redis = TestRedis.start();
        streams = redis.streams();
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        if (alphaWorker != null) {
            alphaWorker.stop();
        }
        if (betaWorker != null) {
            betaWorker.stop();
        }
        vertx.close();
        redis.close();
    }

    @Test
    void redeliveredConsensusEntryDoesNotReleaseTheAudioItsPartnerStillNeeds() throws Exception {
        AudioChunk inline = Chunks.chunk("c1", 0, List.of());
        AudioBlobStore blobs = new AudioBlobStore(streams);
        String ref = blobs.store(inline.chunkId(), inline.audio(), PAIR.size(), Duration.ofHours(1));
        AudioChunk consensus = inline.toBuilder().audio(null).audioRef(ref).policy("consensus")
                .routeReason("consensus").fallbackProviders(List.of()).mode(ChunkMode.CONSENSUS)
                .consensusProviders(PAIR).traceparent(null).keyterms(List.of()).build();
        for (String provider : PAIR) {
            streams.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(consensus));
        }
        // alpha's worker writes its hypothesis and releases the audio, but its XACK never lands (as if it
        // died in between): the entry stays pending and comes back to it with a higher delivery count.
        ScriptedProvider alpha = new ScriptedProvider("alpha");
        alphaWorker = new StreamWorker(connectAsUserWithoutXack(), alpha, TestSettings.fast("alpha-1"),
                new SimpleMeterRegistry());
        alphaWorker.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> pendingDeliveries("alpha") >= 2
                && hypothesesFrom("alpha").size() >= 2);
        alphaWorker.stop();

        ScriptedProvider beta = new ScriptedProvider("beta");
        betaWorker = new StreamWorker(streams, beta, TestSettings.fast("beta-1"), new SimpleMeterRegistry());
        betaWorker.start();

        await().atMost(Duration.ofSeconds(15)).until(() -> !hypothesesFrom("beta").isEmpty());
        assertThat(hypothesesFrom("beta")).singleElement().satisfies(h -> {
            assertThat(h.ok()).as("beta's hypothesis: %s", h.error()).isTrue();
            assertThat(h.text()).isEqualTo("beta heard 0");
        });
        assertThat(beta.calls()).singleElement().satisfies(c -> assertThat(c.audio()).isEqualTo(inline.audio()));
        // Both holders released once: the audio is gone now, not before.
        await().atMost(Duration.ofSeconds(5)).until(() -> blobs.load(ref) == null);
    }

    /** A client whose Redis user may do everything but XACK. */
    private RedisStreams connectAsUserWithoutXack() throws Exception {
        streams.send(Request.cmd(Command.ACL).arg("SETUSER").arg("noack").arg("on").arg(">secret").arg("~*")
                .arg("&*").arg("+@all").arg("-xack"));
        URI url = URI.create(redis.url());
        String withUser = new URI(url.getScheme(), "noack:secret", url.getHost(), url.getPort(), url.getPath(), null,
                null).toString();
        Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(withUser).setMaxPoolSize(8));
        return new RedisStreams(client, Duration.ofSeconds(5));
    }

    private List<Hypothesis> hypothesesFrom(String provider) {
        return streams.range(StreamKeys.HYPOTHESES, "-", "+", 100).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).filter(h -> h.provider().equals(provider)).toList();
    }

    private long pendingDeliveries(String provider) {
        return streams.pending(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider), "-", "+", 10, null)
                .stream().mapToLong(StreamInfo.Pending::deliveries).max().orElse(0);
    }
}
