package dev.speechfleet.parakeet;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.speechfleet.core.provider.WavEncoder;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The mock is strict: a request that deviates from the OpenAI-style contract in one detail is not answered. */
class ParakeetMockContractTest {

    private static final String BOUNDARY = "fleet-boundary";

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        server.stubFor(ParakeetMockServer.transcription("en", equalTo("Bearer test-key"), ParakeetMockServer.MODEL)
                .willReturn(ParakeetMockServer.json(200, ParakeetMockServer.SUCCESS_BODY)));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "documented request,   Bearer test-key, file,  response_format, multipart/form-data, 200",
        "Token scheme,         Token test-key,  file,  response_format, multipart/form-data, 404",
        "audio part name,      Bearer test-key, audio, response_format, multipart/form-data, 404",
        "misspelled format,    Bearer test-key, file,  responseFormat,  multipart/form-data, 404",
        "mixed content type,   Bearer test-key, file,  response_format, multipart/mixed,     404",
        "unknown extra part,   Bearer test-key, file,  response_format, multipart/form-data, 404",
    })
    void onlyTheDocumentedRequestIsAnswered(String what, String authorization, String filePart, String formatField,
            String contentType, int expectedStatus) throws Exception {
        byte[] body = multipart(filePart, formatField, what.startsWith("unknown"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/audio/transcriptions"))
                .header("Authorization", authorization).header("Content-Type", contentType + "; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(expectedStatus);
        assertThat(server.findAllUnmatchedRequests()).hasSize(expectedStatus == 200 ? 0 : 1);
    }

    private static byte[] multipart(String filePart, String formatField, boolean extraPart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + filePart
                + "\"; filename=\"chunk.wav\"\r\nContent-Type: audio/wav\r\n\r\n");
        out.writeBytes(WavEncoder.wav(new byte[320], 16000));
        write(out, "\r\n");
        field(out, "language", "en");
        field(out, "model", ParakeetMockServer.MODEL);
        field(out, formatField, "json");
        if (extraPart) {
            field(out, "prompt", "Kitchen");
        }
        write(out, "--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, String name, String value) {
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
