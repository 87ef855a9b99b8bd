package dev.speechfleet.deepgram;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.provider.WavEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mock is strict: a request that deviates from Deepgram's contract in one detail is not answered. */
class DeepgramMockContractTest {

    private static final String GOOD_QUERY = "model=nova-3&language=en&smart_format=true&punctuate=true";

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(DeepgramMockServer.listen("en")
                .willReturn(DeepgramMockServer.json(200, DeepgramMockServer.SUCCESS_BODY)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "documented request,    Token test-key,  audio/wav,                " + GOOD_QUERY + ", 200",
        "Bearer scheme,         Bearer test-key, audio/wav,                " + GOOD_QUERY + ", 404",
        "octet-stream type,     Token test-key,  application/octet-stream, " + GOOD_QUERY + ", 404",
        "misspelled parameter,  Token test-key,  audio/wav,                model=nova-3&language=en&smartformat=true&punctuate=true, 404",
        "unknown extra,         Token test-key,  audio/wav,                " + GOOD_QUERY + "&utterance_split=0.5, 404",
        "unasked-for option,    Token test-key,  audio/wav,                " + GOOD_QUERY + "&diarize=true, 404",
    })
    void onlyTheDocumentedRequestIsAnswered(String what, String authorization, String contentType, String query,
            int expectedStatus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/listen?" + query))
                .header("Authorization", authorization).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(WavEncoder.wav(new byte[320], 16000))).build();

        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        assertThat(server.findAllUnmatchedRequests()).hasSize(expectedStatus == 200 ? 0 : 1);
    }
}
