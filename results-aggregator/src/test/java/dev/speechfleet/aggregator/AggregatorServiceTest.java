package dev.speechfleet.aggregator;

import dev.speechfleet.core.consumer.ConsumerLoop;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The packaged service: starts its aggregator with the application, reports readiness and metrics. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AggregatorServiceTest {

    @Inject
    RedisStreams streams;

    @Inject
    AggregatorService service;

    @Test
    void serviceTurnsAHypothesisIntoASessionResult() {
        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(
                Hypotheses.ok("svc-1", 0, "deepgram", "service is up", 0.88, 0.001)));

        await().atMost(Duration.ofSeconds(15)).until(() -> streams.length(StreamKeys.sessionResults("svc-1")) == 1);

        assertThat(TranscriptResultCodec.decode(streams.range(StreamKeys.sessionResults("svc-1"), "-", "+", 1)
                .getFirst().fields()).text()).isEqualTo("service is up");
    }

    @Test
    void readinessReportsTheRunningLoop() {
        assertThat(service.loop()).hasValueSatisfying(loop ->
                assertThat(loop.state()).isEqualTo(ConsumerLoop.State.RUNNING));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'aggregator' }.data.state", equalTo("RUNNING"));
    }

    @Test
    void metricsCountTheResultsEmitted() {
        // An error result: the other tests of this class write only ok results, whose counting may trail.
        double before = errorResults();

        streams.add(StreamKeys.HYPOTHESES, HypothesisCodec.encode(
                Hypotheses.failed("svc-2", 0, "whisper", "every provider failed")));

        // The results counter is incremented just after the result is written and announced.
        await().atMost(Duration.ofSeconds(15)).until(() -> errorResults() == before + 1);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("aggregator_duplicates_total"))
                .body(containsString("aggregator_consensus_timeouts_total"));
    }

    /** The sum of {@code aggregator_results_total} over its {@code status="error"} series; 0 before the first. */
    private static double errorResults() {
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return java.util.regex.Pattern.compile("(?m)^aggregator_results_total\\{[^}]*status=\"error\"[^}]*} (\\S+)$")
                .matcher(scrape).results().mapToDouble(m -> Double.parseDouble(m.group(1))).sum();
    }
}
