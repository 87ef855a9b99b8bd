package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.EmbeddedRedis;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis itself goes away and comes back empty (no persistence): the instance recovers on its own. */
class AggregatorRedisRestartTest {

    private TestRedis redis;
    private EmbeddedRedis restarted;
    private ConsumerLoop loop;

    @AfterEach
    void cleanUp() {
        if (loop != null) {
            loop.stop();
        }
        if (restarted != null) {
            restarted.stop();
        }
        redis.close();
    }

    @Test
    void instanceKeepsRunningThroughARedisRestartAndRecreatesItsGroup() {
        redis = TestRedis.start();
        RedisStreams streams = redis.streams();
        loop = AggregatorLoop.create(streams, TestAggregatorSettings.fast("survives-restart", Duration.ofSeconds(5)),
                new SimpleMeterRegistry());
        loop.start();
        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(
                Hypotheses.ok("r1", 0, "deepgram", "before", 0.9, 0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> streams.length(StreamKeys.sessionResults("r1")) == 1);

        int port = redis.embedded().port();
        redis.embedded().stop();
        restarted = EmbeddedRedis.start(port);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(
                    Hypotheses.ok("r2", 0, "deepgram", "after", 0.9, 0)));
            return true;
        });

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> streams.length(StreamKeys.sessionResults("r2")) == 1);
        assertThat(loop.state()).isEqualTo(ConsumerLoop.State.RUNNING);
    }
}
