package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.TRANSCRIPT_ID;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.completed;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.json;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.poll;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.submit;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.transcript;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.upload;
import static dev.speechfleet.assemblyai.AssemblyAiMockServer.uploaded;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The AssemblyAI consumer end to end: real Redis, the shared worker, AssemblyAI mocked on loopback. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
@QuarkusTestResource(AssemblyAiMockServer.class)
class AssemblyAiProviderTest {

    private static final String NEXT = "deepgram";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RedisStreams redis;
    @Inject
    CircuitBreakerMaintenance breakers;
    @Inject
    AssemblyAiProvider provider;

    private final WireMockServer mock = AssemblyAiMockServer.server();
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
        assertThat(mock.findAllUnmatchedRequests()).as("requests that broke AssemblyAI's contract").isEmpty();
    }

    @Test
    void chunkBecomesHypothesisWithTextConfidenceWordsAndCost() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        stubPollSequence(transcript(TRANSCRIPT_ID, "queued"), transcript(TRANSCRIPT_ID, "processing"),
                completed(TRANSCRIPT_ID));

        streams.enqueue("assemblyai", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.provider()).isEqualTo("assemblyai");
        assertThat(h.text()).isEqualTo("Hello world.");
        assertThat(h.confidence()).isEqualTo(0.93);
        assertThat(h.words()).containsExactly(new WordTiming("Hello", 240, 560, 0.98),
                new WordTiming("world.", 600, 900, 0.90));
        assertThat(h.model()).isEqualTo("universal-2");
        assertThat(h.costUsd()).isCloseTo(200 / 60_000.0 * 0.0025, within(1e-12));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        mock.verify(3, getRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID)));
    }

    @Test
    void serverErrorBurstIsRetriedThenSucceeds() {
        mock.stubFor(upload().inScenario("burst").whenScenarioStateIs(STARTED)
                .willReturn(json(502, "{\"error\": \"Bad gateway\"}")).willSetStateTo("second"));
        mock.stubFor(upload().inScenario("burst").whenScenarioStateIs("second")
                .willReturn(json(503, "{\"error\": \"Service unavailable\"}").withHeader("Retry-After", "0"))
                .willSetStateTo("recovered"));
        mock.stubFor(upload().inScenario("burst").whenScenarioStateIs("recovered").willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
        mock.verify(3, postRequestedFor(urlPathEqualTo("/v2/upload")));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
    }

    @Test
    void pollFailureNeverSubmitsTheSameChunkTwice() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        stubPollSequence(json(503, "{\"error\": \"Service unavailable\"}"), json(500, "{\"error\": \"Internal error\"}"),
                completed(TRANSCRIPT_ID));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/upload")));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        mock.verify(3, getRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID)));
    }

    @Test
    void unansweredSubmitIsLookedUpInsteadOfSubmittedAgain() {
        mock.stubFor(upload().willReturn(uploaded()));
        // AssemblyAI creates the transcript but the answer comes after the per-call timeout.
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued").withFixedDelay(6000)));
        mock.stubFor(AssemblyAiMockServer.recentTranscripts().willReturn(json(200, """
                {"page_details": {"limit": 200, "result_count": 2},
                 "transcripts": [{"id": "someone-else", "status": "completed", "audio_url": "https://cdn.assemblyai.com/upload/other"},
                                 {"id": "%s", "status": "processing", "audio_url": "%s"}]}"""
                .formatted(TRANSCRIPT_ID, AssemblyAiMockServer.UPLOAD_URL))));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/upload")));
    }

    @Test
    void sustainedOutageReroutesEveryChunkToTheNextProviderAndLosesNone() {
        mock.stubFor(upload().willReturn(json(503, "{\"error\": \"Service unavailable\"}")));

        for (int seq = 0; seq < 4; seq++) {
            streams.enqueue("assemblyai", chunk(seq));
        }

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 4);
        List<AudioChunk> rerouted = streams.queued(NEXT, session);
        assertThat(rerouted).extracting(AudioChunk::seq).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
        assertThat(rerouted).allSatisfy(c -> {
            assertThat(c.attempt()).isEqualTo(2);
            assertThat(c.originalProvider()).isEqualTo("assemblyai");
            assertThat(c.errorHistory()).singleElement().satisfies(e -> {
                assertThat(e.provider()).isEqualTo("assemblyai");
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
        mock.verify(0, postRequestedFor(urlPathEqualTo("/v2/transcript")));
    }

    @Test
    void invalidKeyOpensTheBreakerAndLaterChunksAreReroutedWithoutCallingAssemblyAi() {
        mock.stubFor(upload().willReturn(json(401, AssemblyAiMockServer.AUTH_ERROR_BODY)));

        streams.enqueue("assemblyai", chunk(0));
        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);
        await().atMost(WAIT).until(() -> streams.health("assemblyai").stream()
                .anyMatch(report -> report.circuit() == CircuitState.OPEN));

        streams.enqueue("assemblyai", chunk(1));
        streams.enqueue("assemblyai", chunk(2));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 3);
        assertThat(mock.getAllServeEvents()).hasSize(1);
        assertThat(streams.queued(NEXT, session)).allSatisfy(c -> assertThat(c.errorHistory().getFirst().kind())
                .isEqualTo(FailureKind.UNAVAILABLE));
    }

    @Test
    void negativeBalanceOpensTheBreakerAndLaterChunksAreReroutedWithoutCallingAssemblyAi() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(json(400, AssemblyAiMockServer.NEGATIVE_BALANCE_BODY)));

        streams.enqueue("assemblyai", chunk(0));
        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(provider.circuitState()).isEqualTo(CircuitState.OPEN);

        streams.enqueue("assemblyai", chunk(1));
        streams.enqueue("assemblyai", chunk(2));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 3);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/upload")));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        AudioChunk first = streams.queued(NEXT, session).getFirst();
        assertThat(first.errorHistory().getFirst().kind()).isEqualTo(FailureKind.UNAVAILABLE);
        assertThat(first.errorHistory().getFirst().message()).contains("balance is negative");
    }

    @Test
    void badAudioIsNotRetried() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(AssemblyAiMockServer.failed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        AudioChunk rerouted = streams.queued(NEXT, session).getFirst();
        assertThat(rerouted.errorHistory().getFirst().kind()).isEqualTo(FailureKind.PERMANENT);
        assertThat(rerouted.errorHistory().getFirst().message()).contains("does not appear to contain audio");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/upload")));
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        mock.verify(1, getRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID)));
        assertThat(provider.circuitState()).isEqualTo(CircuitState.CLOSED);
    }

    @ParameterizedTest(name = "{0} is sent as {1}")
    @CsvSource({"en-GB, en_uk", "en-AU, en_au", "en-US, en_us", "en-IN, en", "en, en", "pt-BR, pt", "zh-CN, zh",
        "es-MX, es", "fr-CA, fr", "nb, no", "nb-NO, no", "jv, jw", "fil, tl", "de-CH, de"})
    void aBcp47LanguageIsSentAsAssemblyAisOwnCode(String language, String code) {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit(code, List.of()).willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID, code)));

        streams.enqueue("assemblyai", Chunks.chunk(session, 0, List.of(NEXT), language, List.of()));

        assertThat(awaitHypothesis().language()).as("reported as BCP-47, as asked").isEqualTo(language);
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
    }

    @Test
    void aDetectedLanguageIsReportedAsBcp47() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit("en", List.of()).willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID, "en_uk")));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().language()).isEqualTo("en-GB");
    }

    @Test
    void aLanguageAssemblyAiDoesNotServeIsRefusedBeforeAnyUpload() {
        streams.enqueue("assemblyai", Chunks.chunk(session, 0, List.of(NEXT), "ak", List.of()));

        await().atMost(WAIT).until(() -> streams.queued(NEXT, session).size() == 1);
        assertThat(streams.queued(NEXT, session).getFirst().errorHistory()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT);
            assertThat(e.message()).contains("'ak'");
        });
        assertThat(mock.getAllServeEvents()).isEmpty();
    }

    @Test
    void keytermsAreSentAsKeytermsPrompt() {
        List<String> keyterms = List.of("Kitchen", "Kelly Byrne-Donoghue");
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit("en", keyterms).willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", Chunks.chunk(session, 0, List.of(NEXT), "en", keyterms));

        assertThat(awaitHypothesis().ok()).isTrue();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {404, 400})
    void aTranscriptAssemblyAiNoLongerHasIsCreatedAgainFromTheSameUpload(int status) {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().inScenario("gone").whenScenarioStateIs(STARTED)
                .willReturn(transcript("lost-transcript", "queued")).willSetStateTo("resubmitted"));
        mock.stubFor(submit().inScenario("gone").whenScenarioStateIs("resubmitted")
                .willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll("lost-transcript").willReturn(AssemblyAiMockServer.transcriptNotFound(status)));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/upload")));
        mock.verify(2, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        assertThat(streams.queued(NEXT, session)).isEmpty();
    }

    @Test
    void aTranscriptCompletedWithoutTextIsAFinalEmptyAnswer() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(AssemblyAiMockServer.completedWithoutText(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        Hypothesis h = awaitHypothesis();
        assertThat(h.ok()).isTrue();
        assertThat(h.text()).isEmpty();
        assertThat(h.confidence()).isZero();
        mock.verify(1, getRequestedFor(urlPathEqualTo("/v2/transcript/" + TRANSCRIPT_ID)));
        assertThat(streams.queued(NEXT, session)).isEmpty();
    }

    @Test
    void theDuplicateCheckPagesBackBeyondTheNewestTranscripts() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued").withFixedDelay(6000)));
        String now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).toString();
        List<String> newest = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            newest.add(AssemblyAiMockServer.item("other-" + i, "https://cdn.assemblyai.com/upload/other-" + i, now));
        }
        mock.stubFor(AssemblyAiMockServer.recentTranscripts().willReturn(AssemblyAiMockServer.page(newest)));
        mock.stubFor(AssemblyAiMockServer.transcriptsBefore("other-199").willReturn(AssemblyAiMockServer.page(
                List.of(AssemblyAiMockServer.item(TRANSCRIPT_ID, AssemblyAiMockServer.UPLOAD_URL, now)))));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        assertThat(awaitHypothesis().text()).isEqualTo("Hello world.");
        mock.verify(1, postRequestedFor(urlPathEqualTo("/v2/transcript")));
        mock.verify(2, getRequestedFor(urlPathEqualTo("/v2/transcript")));
    }

    @Test
    void theFirstPollWaitsTheConfiguredDelayAfterSubmitting() {
        mock.stubFor(upload().willReturn(uploaded()));
        mock.stubFor(submit().willReturn(transcript(TRANSCRIPT_ID, "queued")));
        mock.stubFor(poll(TRANSCRIPT_ID).willReturn(completed(TRANSCRIPT_ID)));

        streams.enqueue("assemblyai", chunk(0));

        awaitHypothesis();
        long submitted = servedAt("POST", "/v2/transcript");
        long firstPoll = servedAt("GET", "/v2/transcript/" + TRANSCRIPT_ID);
        assertThat(firstPoll - submitted).as("ms from submit to first poll").isGreaterThanOrEqualTo(300);
    }

    /** When WireMock received the first request of {@code method} on {@code path}, epoch ms. */
    private long servedAt(String method, String path) {
        return mock.getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals(method)
                        && e.getRequest().getUrl().split("\\?")[0].equals(path))
                .mapToLong(e -> e.getRequest().getLoggedDate().getTime()).min().orElseThrow();
    }

    private void stubPollSequence(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            String state = i == 0 ? STARTED : "poll-" + i;
            var stub = poll(TRANSCRIPT_ID).inScenario("poll").whenScenarioStateIs(state).willReturn(answers[i]);
            if (i + 1 < answers.length) {
                stub = stub.willSetStateTo("poll-" + (i + 1));
            }
            mock.stubFor(stub);
        }
    }

    private AudioChunk chunk(long seq) {
        return Chunks.chunk(session, seq, List.of(NEXT));
    }

    private Hypothesis awaitHypothesis() {
        await().atMost(WAIT).until(() -> !streams.hypotheses(session).isEmpty());
        return streams.hypotheses(session).getFirst();
    }
}
