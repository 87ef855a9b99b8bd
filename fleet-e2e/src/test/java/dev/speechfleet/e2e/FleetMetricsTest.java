package dev.speechfleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.client.DeviceReport;
import dev.speechfleet.client.ServerMessage;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scrapes every service's {@code /q/metrics} after a run in which Deepgram refuses one request with a
 * 400 (so that one utterance is re-routed to Parakeet), and finds the metrics of the operations guide
 * and the Grafana dashboard with the values of what happened.
 */
class FleetMetricsTest {

    private static final int UTTERANCES = 3;

    private TestRedis redis;
    private CloudMocks cloud;
    private SmallFleet fleet;

    @BeforeEach
    void startFleet() throws Exception {
        redis = TestRedis.start();
        cloud = new CloudMocks();
        fleet = SmallFleet.start(Map.of("quarkus.redis.hosts", redis.url()), cloud);
        fleet.awaitWorkersLive(redis.streams());
    }

    @AfterEach
    void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
        cloud.close();
        redis.close();
    }

    @Test
    void everyServiceReportsWhatHappenedIncludingOneReRoute() throws Exception {
        cloud.rejectDeepgramCall(1);
        // Accuracy routes to Deepgram (the lowest catalog WER of the two), with Parakeet as its fallback.
        DeviceReport report = fleet.run(List.of(
                fleet.device("metrics-1", VoicedBursts.of(UTTERANCES, 900, 800), List.of(), "accuracy"))).getFirst();
        assertThat(report.results()).hasSize(UTTERANCES)
                .allSatisfy(r -> assertThat(r.message()).isInstanceOf(ServerMessage.Transcript.class));

        PrometheusScrape router = fleet.scrape("router");
        assertThat(router.sum("router_utterances_total", "provider", "deepgram", "policy", "accuracy",
                "reason", "ranked")).hasValue(UTTERANCES);
        assertThat(router.sum("router_utterances_total")).hasValue(UTTERANCES);
        assertThat(router.sum("router_end_to_end_seconds_count")).hasValue(UTTERANCES);
        assertThat(router.has("router_end_to_end_seconds_bucket", "le", "+Inf")).isTrue();
        assertThat(router.sum("router_sockets_slow_reader_total")).hasValue(0);
        await("router_sessions_open back to 0").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(fleet.scrape("router").sum("router_sessions_open")).hasValue(0));

        PrometheusScrape deepgram = fleet.scrape("deepgram");
        PrometheusScrape parakeet = fleet.scrape("parakeet");
        assertThat(deepgram.sum("worker_reroutes_total", "provider", "deepgram", "error_class", "permanent"))
                .hasValue(1);
        double reroutes = 0;
        for (String service : fleet.serviceNames()) {
            reroutes += fleet.scrape(service).sum("worker_reroutes_total").orElse(0);
        }
        assertThat(reroutes).as("re-routes over the whole fleet").isEqualTo(1);
        assertThat(deepgram.sum("worker_processing_seconds_count", "provider", "deepgram"))
                .hasValue(cloud.deepgramCalls.get());
        assertThat(parakeet.sum("worker_processing_seconds_count", "provider", "parakeet"))
                .hasValue(cloud.parakeetCalls.get());
        assertThat(cloud.deepgramCalls.get() + cloud.parakeetCalls.get()).isEqualTo(UTTERANCES + 1);
        assertThat(deepgram.has("worker_processing_seconds_bucket", "provider", "deepgram", "le", "+Inf")).isTrue();
        assertThat(deepgram.sum("worker_retries_total", "provider", "deepgram")).hasValue(0);
        assertThat(deepgram.sum("worker_dead_letters_total", "provider", "deepgram")).hasValue(0);
        assertThat(deepgram.sum("provider_circuit_state", "provider", "deepgram")).hasValue(0);
        assertThat(parakeet.sum("provider_circuit_state", "provider", "parakeet")).hasValue(0);
        double cost = deepgram.sum("provider_cost_usd_total", "provider", "deepgram").orElseThrow()
                + parakeet.sum("provider_cost_usd_total", "provider", "parakeet").orElseThrow();
        assertThat(cost).as("cost over the providers = cost of the results").isPositive()
                .isCloseTo(resultsCost(), within(1e-9));

        PrometheusScrape aggregator = fleet.scrape("aggregator");
        assertThat(aggregator.sum("aggregator_results_total")).hasValue(UTTERANCES);
        assertThat(aggregator.sum("aggregator_duplicates_total")).hasValue(0);
        assertThat(aggregator.has("aggregator_consensus_agreement_count")).isTrue();
        assertThat(aggregator.has("aggregator_consensus_agreement_sum")).isTrue();

        await("lag and pending gauges of every group, drained").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertQueueGauges(fleet.scrape("deepgram"), StreamKeys.audioStream("deepgram"),
                    StreamKeys.workerGroup("deepgram"));
            assertQueueGauges(fleet.scrape("parakeet"), StreamKeys.audioStream("parakeet"),
                    StreamKeys.workerGroup("parakeet"));
            assertQueueGauges(fleet.scrape("aggregator"), StreamKeys.HYPOTHESES, StreamKeys.AGGREGATOR_GROUP);
        });
    }

    private static void assertQueueGauges(PrometheusScrape scrape, String stream, String group) {
        assertThat(scrape.sum("stream_lag", "stream", stream, "group", group)).as("lag of %s", group).hasValue(0);
        assertThat(scrape.sum("stream_pending", "stream", stream, "group", group)).as("pending of %s", group)
                .hasValue(0);
    }

    private double resultsCost() {
        List<StreamEntry> entries = redis.streams().range(StreamKeys.RESULTS_ALL, "-", "+", 100);
        assertThat(entries).hasSize(UTTERANCES);
        return entries.stream().map(e -> TranscriptResultCodec.decode(e.fields()))
                .mapToDouble(TranscriptResult::costUsd).sum();
    }
}
