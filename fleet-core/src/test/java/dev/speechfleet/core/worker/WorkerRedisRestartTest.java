package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.ScriptedProvider;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Redis stopped and started again under a running worker: the worker comes back by itself. */
class WorkerRedisRestartTest {

    private EmbeddedRedis server;
    private Vertx vertx;
    private StreamWorker worker;

    @AfterEach
    void tearDown() {
        if (worker != null) {
            worker.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void workerRecreatesItsGroupAfterRedisRestartedEmptyAndGoesOn() {
        server = EmbeddedRedis.start();
        int port = server.port();
        vertx = Vertx.vertx();
        RedisStreams streams = new RedisStreams(Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(server.url()).setMaxPoolSize(8)), Duration.ofSeconds(2));
        worker = new StreamWorker(streams, new ScriptedProvider("alpha"), TestSettings.fast("w1"),
                new SimpleMeterRegistry());
        worker.start();
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", 0, List.of())));
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.HYPOTHESES) == 1);

        server.stop();
        server = EmbeddedRedis.start(port);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> !streams
                .groups(StreamKeys.audioStream("alpha")).isEmpty());
        streams.add(StreamKeys.audioStream("alpha"), AudioChunkCodec.encode(Chunks.chunk("s1", 1, List.of())));

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> streams.length(StreamKeys.HYPOTHESES) == 1
                        && streams.pendingSummary(StreamKeys.audioStream("alpha"), StreamKeys.workerGroup("alpha"))
                                .count() == 0);
        assertThat(worker.state()).isEqualTo(ConsumerLoop.State.RUNNING);
    }
}
