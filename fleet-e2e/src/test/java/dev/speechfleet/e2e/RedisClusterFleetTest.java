package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceOptions;
import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.EmbeddedRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fleet, unchanged, on a local three-primary Redis Cluster: every service is its own JVM and is
 * told only {@code quarkus.redis.client-type=cluster} and the nodes' addresses. Devices stream voiced
 * speech, alone and in consensus (shared audio blobs, the aggregator's per-chunk state), and every
 * utterance's transcript comes back, in order, with nothing left pending.
 */
class RedisClusterFleetTest {

    private EmbeddedRedisCluster cluster;
    private CloudMocks cloud;
    private SmallFleet fleet;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = EmbeddedRedisCluster.start(3);
        cloud = new CloudMocks();
    }

    @AfterEach
    void stop() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        cloud.close();
        cluster.close();
    }

    @Test
    void devicesGetEveryTranscriptFromAFleetOnRedisCluster() throws Exception {
        streamAndCheck(2, 3);
    }

    @Test
    @Tag("slow")
    void manyDevicesGetEveryTranscriptFromAFleetOnRedisCluster() throws Exception {
        streamAndCheck(8, 8);
    }

    private void streamAndCheck(int devices, int utterances) throws Exception {
        fleet = SmallFleet.start(Map.of("quarkus.redis.client-type", "cluster", "quarkus.redis.hosts",
                cluster.hosts()), cloud);
        RedisStreams redis = cluster.streams();
        fleet.awaitWorkersLive(redis);
        List<DeviceOptions> options = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            options.add(fleet.device("cluster-" + i, VoicedBursts.of(utterances, 900, 800),
                    i % 2 == 0 ? List.of() : SmallFleet.PROVIDERS));
        }

        List<DeviceReport> reports = fleet.run(options);

        for (DeviceReport report : reports) {
            assertThat(report.results()).as("results of %s", report.deviceId()).hasSize(utterances)
                    .allSatisfy(r -> assertThat(r.message()).isInstanceOf(ServerMessage.Transcript.class));
            assertThat(report.inOrder()).as("%s in order", report.deviceId()).isTrue();
            assertThat(report.gaps()).as("%s gaps", report.deviceId()).isEmpty();
            assertThat(report.duplicates()).as("%s duplicates", report.deviceId()).isZero();
            assertThat(report.sessionErrors()).as("%s session errors", report.deviceId()).isEmpty();
            assertThat(report.closeCode()).as("%s close code", report.deviceId()).isEqualTo(1000);
        }
        List<String> consensusProviders = reports.get(1).results().stream()
                .map(r -> ((ServerMessage.Transcript) r.message()).provider()).distinct().toList();
        assertThat(consensusProviders).as("providers named by the consensus device's transcripts")
                .containsExactly("consensus");
        assertThat(cloud.deepgramCalls).hasPositiveValue();
        assertThat(cloud.parakeetCalls).hasPositiveValue();
        awaitNothingPending(redis);
    }

    private static void awaitNothingPending(RedisStreams redis) {
        await("nothing pending on any group").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String provider : SmallFleet.PROVIDERS) {
                assertThat(redis.pendingSummary(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider))
                        .count()).as("pending on %s", StreamKeys.audioStream(provider)).isZero();
            }
            assertThat(redis.pendingSummary(StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP).count())
                    .as("pending on %s", StreamKeys.HYPOTHESES).isZero();
        });
    }
}
