package dev.speechfleet.parakeet;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.speechfleet.parakeet.ParakeetMockServer.json;
import static dev.speechfleet.parakeet.ParakeetMockServer.transcription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.testing.ConsumerStreams;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.testing.Chunks;
import dev.speechfleet.core.testing.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Parakeet consumer end to end: real Redis, the shared worker, Parakeet mocked on loopback. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(ParakeetMockServer.class)
class ParakeetProviderTest {

    private static final String NEXT = "whisper";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    RedisStreams redis;
    @Inject
    CircuitBreakerMaintenance breakers;
    @Inject
    ParakeetProvider provider;

    private final WireMockServer mock = ParakeetMockServer.server();
    private ConsumerStreams streams;
    private String session;

    @BeforeEach
    void freshState() {
        mock.resetAll();
        breakers.resetAll();
        streams = new ConsumerStreams(redis);
        session = "s-" + UUID.randomUUID();
    }

    @AfterEach
    void everyRequestMatchedTheDocumentedContract() {
        assertThat(mock.findAllUnmatchedRequests()).as("requests that broke Parakeet's contract").isEmpty();
    }

    @Test
    void chunkBecomesHypothesisWithTextConfidenceWordsAndCost() {
        mock.stubFor(transcription("en").willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        streams.enqueue("parakeet", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.provider()).isEqualTo("parakeet");
        assertThat(h.text()).isEqualTo("Hello world.");
        assertThat(h.confidence()).as("the configured assumed confidence").isEqualTo(0.94);
        assertThat(h.words()).as("the HTTP API gives no word timings").isEmpty();
        assertThat(h.model()).as("no model configured: the NIM picks it by language").isEmpty();
        assertThat(h.costUsd()).isCloseTo(200 / 60_000.0 * 0.0012, within(1e-12));
        await().atMost(WAIT).until(() -> streams.pending("parakeet") == 0);
    }

    @Test
    void fileIsTheChunkPcmInA44ByteWavHeader() {
        mock.stubFor(transcription("en").willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));
        AudioChunk chunk = chunk(0);

        streams.enqueue("parakeet", chunk);

        awaitHypothesis();
        byte[] body = mock.getAllServeEvents().getFirst().getRequest().getPart("file").getBody().asBytes();
        assertThat(body).hasSize(44 + chunk.audio().length);
        assertThat(java.util.Arrays.copyOfRange(body, 44, body.length)).isEqualTo(chunk.audio());
    }

    @Test
    void serverErrorBurstIsRetriedThenSucceeds() {
        mock.stubFor(transcription("en").inScenario("burst").whenScenarioStateIs(STARTED)
                .willReturn(json(503, "{\"error\": \"model is loading\"}"))
                .willSetStateTo("second"));
        mock.stubFor(transcription("en").inScenario("burst").whenScenarioStateIs("second")
                .willReturn(json(500, ParakeetMockServer.SERVER_ERROR_BODY).withHeader("Retry-After", "0"))
                .willSetStateTo("recovered"));
        mock.stubFor(transcription("en").inScenario("burst").whenScenarioStateIs("recovered")
                .willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        streams.enqueue("parakeet", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.text()).isEqualTo("Hello world.");
        mock.verify(3, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
        assertThat(streams.queued(NEXT, session)).isEmpty();
    }

    @Test
    void sustainedOutageReroutesEveryChunkToTheNextProviderAndLosesNone() {
        mock.stubFor(transcription("en").willReturn(json(503, ParakeetMockServer.SERVER_ERROR_BODY)));

        for (int seq = 0; seq < 4; seq++) {
            streams.enqueue("parakeet", chunk(seq));
        }

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 4);
        List<AudioChunk> rerouted = streams.queued(NEXT, session);
        assertThat(rerouted).extracting(AudioChunk::seq).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        assertThat(rerouted).allSatisfy(c -> {
            assertThat(c.attempt()).isEqualTo(2);
            assertThat(c.originalProvider()).isEqualTo("parakeet");
            assertThat(c.errorHistory()).singleElement().satisfies(e -> {
                assertThat(e.provider()).isEqualTo("parakeet");
                assertThat(e.kind()).isIn(FailureKind.RETRYABLE, FailureKind.UNAVAILABLE);
            });
            assertThat(c.audio()).isEqualTo(Chunks.chunk(session, c.seq(), null).audio());
        });
        // Each failure event is logged just after its chunk's re-route.
        await().atMost(WAIT).untilAsserted(() -> assertThat(streams.failures(session)).hasSize(4)
                .allSatisfy(f -> {
                    assertThat(f.action()).isEqualTo(FailureEvent.ACTION_REROUTED);
                    assertThat(f.nextProvider()).isEqualTo(NEXT);
                }));
        assertThat(streams.hypotheses(session)).isEmpty();
        await().atMost(WAIT).until(() -> streams.pending("parakeet") == 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void gatewayRefusalOpensTheBreakerAndLaterChunksAreReroutedWithoutCallingParakeet(int status) {
        String body = "{\"error\": \"gateway refused the key\"}";
        mock.stubFor(transcription("en").willReturn(json(status, body)));

        streams.enqueue("parakeet", chunk(0));
        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
        await().atMost(WAIT).until(() -> streams.health("parakeet").stream()
                .anyMatch(report -> report.circuit() == CircuitState.OPEN));

        streams.enqueue("parakeet", chunk(1));
        streams.enqueue("parakeet", chunk(2));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 3);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
        assertThat(streams.queued(NEXT, session)).allSatisfy(c -> assertThat(c.errorHistory().getFirst().kind())
                .isEqualTo(FailureKind.UNAVAILABLE));
        assertThat(streams.failures(session).getFirst().error()).contains("HTTP " + status);
    }

    @Test
    void badAudioIsNotRetried() {
        mock.stubFor(transcription("en").willReturn(json(400, ParakeetMockServer.BAD_AUDIO_BODY)));

        streams.enqueue("parakeet", chunk(0));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
        AudioChunk rerouted = streams.queued(NEXT, session).getFirst();
        assertThat(rerouted.errorHistory().getFirst().kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(rerouted.errorHistory().getFirst().message()).contains("failed to read audio");
        assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        mock.stubFor(transcription("en").inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(json(429, "{\"error\": \"too many requests\"}").withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        mock.stubFor(transcription("en").inScenario("throttled").whenScenarioStateIs("free")
                .willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        long started = System.nanoTime();
        streams.enqueue("parakeet", chunk(0));

        awaitHypothesis();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
    }

    @Test
    void slowAnswerIsCutByTheTimeoutAndRetried() {
        mock.stubFor(transcription("en").inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(json(200, ParakeetMockServer.SUCCESS_BODY).withFixedDelay(6000))
                .willSetStateTo("fast"));
        mock.stubFor(transcription("en").inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        streams.enqueue("parakeet", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.processingMs()).isLessThan(6000);
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
    }

    @Test
    void anEmptyTranscriptHasConfidenceZero() {
        mock.stubFor(transcription("en").willReturn(json(200, "{\"text\": \"\"}")));

        streams.enqueue("parakeet", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.text()).isEmpty();
        assertThat(h.confidence()).isZero();
    }

    @Test
    void keytermsAreNotSentBecauseTheHttpEndpointHasNoPlaceForThem() {
        mock.stubFor(transcription("en").willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        streams.enqueue("parakeet", Chunks.chunk(session, 0, List.of(NEXT), "en", List.of("Kitchen", "Hue lights")));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
    }

    @Test
    void aRegionOfTheConfiguredLanguageIsSentAsTheConfiguredTag() {
        mock.stubFor(transcription("en").willReturn(json(200, ParakeetMockServer.SUCCESS_BODY)));

        streams.enqueue("parakeet", Chunks.chunk(session, 0, List.of(NEXT), "en-GB", List.of()));

        assertThat(awaitHypothesis().language()).isEqualTo("en-GB");
    }

    @Test
    void aLanguageOrRateTheDeploymentDoesNotServeIsReroutedWithoutCallingIt() {
        streams.enqueue("parakeet", Chunks.chunk(session, 0, List.of(NEXT), "fr", List.of()));
        AudioChunk at8k = Chunks.chunk(session, 1, List.of(NEXT));
        streams.enqueue("parakeet", at8k.toBuilder().sampleRate(8000).durationMs(400).language("en").traceparent(null)
                .keyterms(List.of()).build());

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 2);
        assertThat(streams.queued(NEXT, session)).allSatisfy(c -> assertThat(c.errorHistory()).singleElement()
                .satisfies(e -> assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT)));
        assertThat(streams.queued(NEXT, session)).extracting(c -> c.errorHistory().getFirst().message())
                .anySatisfy(m -> assertThat(m).contains("'fr'")).anySatisfy(m -> assertThat(m).contains("8000 Hz"));
        mock.verify(0, postRequestedFor(urlPathEqualTo("/v1/audio/transcriptions")));
    }

    private AudioChunk chunk(long seq) {
        return Chunks.chunk(session, seq, List.of(NEXT));
    }

    private Hypothesis awaitHypothesis() {
        await().atMost(WAIT).until(() -> !streams.hypotheses(session).isEmpty());
        return streams.hypotheses(session).getFirst();
    }
}
