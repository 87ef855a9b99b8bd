package dev.speechfleet.deepgram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.speechfleet.deepgram.DeepgramMockServer.json;
import static dev.speechfleet.deepgram.DeepgramMockServer.listen;
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
import dev.speechfleet.core.stream.WordTiming;
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

/** The Deepgram consumer end to end: real Redis, the shared worker, Deepgram mocked on loopback. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(DeepgramMockServer.class)
class DeepgramProviderTest {

    private static final String NEXT = "assemblyai";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    RedisStreams redis;
    @Inject
    CircuitBreakerMaintenance breakers;
    @Inject
    DeepgramProvider provider;

    private final WireMockServer mock = DeepgramMockServer.server();
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
        assertThat(mock.findAllUnmatchedRequests()).as("requests that broke Deepgram's contract").isEmpty();
    }

    @Test
    void chunkBecomesHypothesisWithTextConfidenceWordsAndCost() {
        mock.stubFor(listen("en").willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.provider()).isEqualTo("deepgram");
        assertThat(h.text()).isEqualTo("Hello, world.");
        assertThat(h.confidence()).isEqualTo(0.999);
        assertThat(h.words()).containsExactly(new WordTiming("Hello,", 0, 480, 0.8157),
                new WordTiming("world.", 480, 880, 0.9717));
        assertThat(h.model()).isEqualTo("general-nova-3");
        assertThat(h.costUsd()).isCloseTo(200 / 60_000.0 * 0.0043, within(1e-12));
        await().atMost(WAIT).until(() -> streams.pending("deepgram") == 0);
    }

    @Test
    void chunkIsSentAsItsPcmInA44ByteWavHeader() {
        mock.stubFor(listen("en").willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));
        AudioChunk chunk = chunk(0);

        streams.enqueue("deepgram", chunk);

        awaitHypothesis();
        byte[] body = mock.getAllServeEvents().getFirst().getRequest().getBody();
        assertThat(body).hasSize(44 + chunk.audio().length);
        assertThat(java.util.Arrays.copyOfRange(body, 44, body.length)).isEqualTo(chunk.audio());
    }

    @Test
    void serverErrorBurstIsRetriedThenSucceeds() {
        mock.stubFor(listen("en").inScenario("burst").whenScenarioStateIs(STARTED)
                .willReturn(json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"try later\"}"))
                .willSetStateTo("second"));
        mock.stubFor(listen("en").inScenario("burst").whenScenarioStateIs("second")
                .willReturn(json(500, "{\"category\":\"INTERNAL\",\"message\":\"boom\"}").withHeader("Retry-After", "0"))
                .willSetStateTo("recovered"));
        mock.stubFor(listen("en").inScenario("burst").whenScenarioStateIs("recovered")
                .willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.text()).isEqualTo("Hello, world.");
        mock.verify(3, postRequestedFor(urlPathEqualTo("/v1/listen")));
        assertThat(streams.queued(NEXT, session)).isEmpty();
    }

    @Test
    void sustainedOutageReroutesEveryChunkToTheNextProviderAndLosesNone() {
        mock.stubFor(listen("en").willReturn(json(503, "{\"err_code\":\"SERVICE_UNAVAILABLE\",\"err_msg\":\"down\"}")));

        for (int seq = 0; seq < 4; seq++) {
            streams.enqueue("deepgram", chunk(seq));
        }

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 4);
        List<AudioChunk> rerouted = streams.queued(NEXT, session);
        assertThat(rerouted).extracting(AudioChunk::seq).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        assertThat(rerouted).allSatisfy(c -> {
            assertThat(c.attempt()).isEqualTo(2);
            assertThat(c.originalProvider()).isEqualTo("deepgram");
            assertThat(c.errorHistory()).singleElement().satisfies(e -> {
                assertThat(e.provider()).isEqualTo("deepgram");
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
        await().atMost(WAIT).until(() -> streams.pending("deepgram") == 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 402})
    void refusalOpensTheBreakerAndLaterChunksAreReroutedWithoutCallingDeepgram(int status) {
        String body = status == 401 ? DeepgramMockServer.INVALID_AUTH_BODY : DeepgramMockServer.PAYMENT_REQUIRED_BODY;
        mock.stubFor(listen("en").willReturn(json(status, body)));

        streams.enqueue("deepgram", chunk(0));
        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
        await().atMost(WAIT).until(() -> streams.health("deepgram").stream()
                .anyMatch(report -> report.circuit() == CircuitState.OPEN));

        streams.enqueue("deepgram", chunk(1));
        streams.enqueue("deepgram", chunk(2));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 3);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/listen")));
        assertThat(streams.queued(NEXT, session)).allSatisfy(c -> assertThat(c.errorHistory().getFirst().kind())
                .isEqualTo(FailureKind.UNAVAILABLE));
        assertThat(streams.failures(session).getFirst().error()).contains("HTTP " + status);
    }

    @Test
    void badAudioIsNotRetried() {
        mock.stubFor(listen("en").willReturn(json(400, DeepgramMockServer.CORRUPT_AUDIO_BODY)));

        streams.enqueue("deepgram", chunk(0));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/listen")));
        AudioChunk rerouted = streams.queued(NEXT, session).getFirst();
        assertThat(rerouted.errorHistory().getFirst().kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(rerouted.errorHistory().getFirst().message()).contains("corrupt or unsupported data");
        assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void throttlingIsRetriedHonouringRetryAfter() {
        mock.stubFor(listen("en").inScenario("throttled").whenScenarioStateIs(STARTED)
                .willReturn(json(429, DeepgramMockServer.TOO_MANY_REQUESTS_BODY).withHeader("Retry-After", "1"))
                .willSetStateTo("free"));
        mock.stubFor(listen("en").inScenario("throttled").whenScenarioStateIs("free")
                .willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        long started = System.nanoTime();
        streams.enqueue("deepgram", chunk(0));

        awaitHypothesis();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v1/listen")));
    }

    @Test
    void incompleteUploadIsRetried() {
        mock.stubFor(listen("en").inScenario("incomplete").whenScenarioStateIs(STARTED)
                .willReturn(json(422, "{\"err_code\":\"ASR_UNPROCESSABLE_ENTITY\",\"err_msg\":\"upload incomplete\"}"))
                .willSetStateTo("complete"));
        mock.stubFor(listen("en").inScenario("incomplete").whenScenarioStateIs("complete")
                .willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", chunk(0));

        assertThat(awaitHypothesis().ok()).isTrue();
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v1/listen")));
    }

    @Test
    void slowAnswerIsCutByTheTimeoutAndRetried() {
        mock.stubFor(listen("en").inScenario("slow").whenScenarioStateIs(STARTED)
                .willReturn(json(200, DeepgramMockServer.SUCCESS_BODY).withFixedDelay(6000))
                .willSetStateTo("fast"));
        mock.stubFor(listen("en").inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.processingMs()).isLessThan(6000);
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v1/listen")));
    }

    @Test
    void keytermsAreSentAsOneKeytermParameterEach() {
        List<String> keyterms = List.of("Kitchen", "Hue lights", "Smith, John");
        mock.stubFor(listen("nova-3", "en", keyterms, false).willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", Chunks.chunk(session, 0, List.of(NEXT), "en", keyterms));

        assertThat(awaitHypothesis().ok()).isTrue();
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v1/listen"))
                .withQueryParam("keyterm", havingExactly("Kitchen", "Hue lights", "Smith, John")));
    }

    @Test
    void aRegionTheModelListsIsSentAsItIsAndAnUnlistedOneAsItsLanguage() {
        mock.stubFor(listen("pt-BR").willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));
        mock.stubFor(listen("en").willReturn(json(200, DeepgramMockServer.SUCCESS_BODY)));

        streams.enqueue("deepgram", Chunks.chunk(session, 0, List.of(NEXT), "pt-BR", List.of()));
        streams.enqueue("deepgram", Chunks.chunk(session, 1, List.of(NEXT), "en-CA", List.of()));

        await().atMost(WAIT).until(() -> streams.hypotheses(session).size() == 2);
        assertThat(streams.hypotheses(session)).extracting(Hypothesis::language)
                .containsExactlyInAnyOrder("pt-BR", "en-CA");
    }

    @Test
    void aLanguageTheModelDoesNotServeIsReroutedWithoutCallingDeepgram() {
        streams.enqueue("deepgram", Chunks.chunk(session, 0, List.of(NEXT), "sw", List.of()));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(streams.queued(NEXT, session).getFirst().errorHistory()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(e.message()).contains("nova-3").contains("'sw'");
        });
        mock.verify(0, postRequestedFor(urlPathEqualTo("/v1/listen")));
    }

    @Test
    void aFailureNamesDeepgramsRequestIdFromTheBody() {
        mock.stubFor(listen("en").willReturn(json(400, DeepgramMockServer.CORRUPT_AUDIO_BODY)));

        streams.enqueue("deepgram", chunk(0));

        await().atMost(WAIT).until(() -> streams.failures(session).size() == 1);
        assertThat(streams.failures(session).getFirst().error()).contains("request_id r-400");
    }

    @Test
    void aFailureWithoutJsonNamesTheRequestIdOfTheResponseHeader() {
        mock.stubFor(listen("en").willReturn(aResponse().withStatus(503).withHeader("dg-request-id", "r-503")
                .withHeader("Content-Type", "text/plain").withBody("upstream connect error or disconnect/reset "
                        + "before headers. " + "x".repeat(400))));

        streams.enqueue("deepgram", chunk(0));

        await().atMost(WAIT).until(() -> streams.failures(session).size() == 1);
        assertThat(streams.failures(session).getFirst().error()).contains("request_id r-503");
    }

    private AudioChunk chunk(long seq) {
        return Chunks.chunk(session, seq, List.of(NEXT));
    }

    private Hypothesis awaitHypothesis() {
        await().atMost(WAIT).until(() -> !streams.hypotheses(session).isEmpty());
        return streams.hypotheses(session).getFirst();
    }
}
