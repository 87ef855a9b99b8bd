package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mock is strict: a transcript request that deviates from AssemblyAI's contract in one detail is not answered. */
class AssemblyAiMockContractTest {

    private static final String GOOD_BODY = "{\"audio_url\": \"" + AssemblyAiMockServer.UPLOAD_URL
            + "\", \"speech_models\": [\"universal-2\"], \"language_code\": \"en\", \"punctuate\": true, \"format_text\": true}";

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(AssemblyAiMockServer.submit()
                .willReturn(AssemblyAiMockServer.transcript(AssemblyAiMockServer.TRANSCRIPT_ID, "queued")));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "documented request  | test-key        | application/json | speech_models | 200",
        "Bearer scheme       | Bearer test-key | application/json | speech_models | 404",
        "form content type   | test-key        | text/plain       | speech_models | 404",
        "singular model name | test-key        | application/json | speech_model  | 404",
    })
    void onlyTheDocumentedRequestIsAnswered(String what, String authorization, String contentType,
            String modelsField, int expectedStatus) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/transcript"))
                .header("Authorization", authorization).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(GOOD_BODY.replace("speech_models", modelsField))).build();

        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        assertThat(server.findAllUnmatchedRequests()).hasSize(expectedStatus == 200 ? 0 : 1);
    }
}
