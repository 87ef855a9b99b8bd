package dev.speechfleet.core.worker;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class WorkerLauncherTest {

    @Inject
    WorkerLauncher launcher;

    @Inject
    RedisStreams streams;

    @Test
    void aProviderBeanGetsAWorkerConfiguredFromFleetConfig() {
        StreamWorker worker = launcher.worker("launchtest").orElseThrow();

        assertThat(worker.state()).isEqualTo(ConsumerLoop.State.RUNNING);
        assertThat(worker.consumerName()).isEqualTo("quarkus-test");
        assertThat(launcher.settingsFor(new LaunchTestProvider()).concurrency()).isEqualTo(3);
        assertThat(launcher.settingsFor(new LaunchTestProvider()).defaultChain())
                .containsExactly("launchtest", "fallbacktest");
    }

    @Test
    void theWorkerServesItsStream() {
        streams.add(StreamKeys.audioStream("launchtest"), AudioChunkCodec.encode(Chunks.chunk("q1", 5, List.of())));

        await().atMost(Duration.ofSeconds(10)).until(() -> streams.range(StreamKeys.HYPOTHESES, "-", "+", 100).stream()
                .map(e -> HypothesisCodec.decode(e.fields())).anyMatch(h -> h.chunkId().equals("q1:5")
                        && h.text().equals("launched 5")));
    }
}
