package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A local AssemblyAI: WireMock on loopback serving {@code /v2/upload}, {@code /v2/transcript} and
 * {@code /v2/transcript/{id}} only for the documented requests (provider-contracts.md §2.4): the raw
 * key in {@code Authorization}, octet-stream uploads, the exact JSON of a transcript request. Anything
 * else is unmatched (WireMock's 404), which the tests assert never happens. Bodies are AssemblyAI's
 * documented transcript objects and {@code {"error": …}} replies.
 */
public class AssemblyAiMockServer implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "test-key";
    static final String UPLOAD_URL = "https://cdn.assemblyai.com/upload/6c9e4d2a-1f0b-4b7e-9a55-3d2f1e0c8b71";
    static final String TRANSCRIPT_ID = "6f3b2c1d-0000-4a1b-9c2d-123456789abc";
    static final String AUTH_ERROR_BODY = "{\"error\": \"Authentication error, API token missing/invalid\"}";
    static final String NEGATIVE_BALANCE_BODY =
            "{\"error\": \"Your current account balance is negative. Please top up to continue using the API.\"}";

    private static WireMockServer server;

    static WireMockServer server() {
        return server;
    }

    static MappingBuilder upload() {
        return post(urlPathEqualTo("/v2/upload"))
                .withHeader("Authorization", equalTo(API_KEY))
                .withHeader("Content-Type", equalTo("application/octet-stream"))
                .withRequestBody(matching("(?s)^RIFF.{1,4}WAVEfmt .*"));
    }

    static MappingBuilder submit() {
        return post(urlPathEqualTo("/v2/transcript"))
                .withHeader("Authorization", equalTo(API_KEY))
                .withHeader("Content-Type", matching("application/json(;.*)?"))
                .withRequestBody(equalToJson("""
                        {"audio_url": "%s", "speech_models": ["universal-2"], "language_code": "en",
                         "punctuate": true, "format_text": true}""".formatted(UPLOAD_URL)));
    }

    static MappingBuilder poll(String transcriptId) {
        return get(urlPathEqualTo("/v2/transcript/" + transcriptId)).withHeader("Authorization", equalTo(API_KEY));
    }

    static MappingBuilder recentTranscripts() {
        return get(urlPathEqualTo("/v2/transcript")).withHeader("Authorization", equalTo(API_KEY))
                .withQueryParam("limit", equalTo("100"));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    static ResponseDefinitionBuilder uploaded() {
        return json(200, "{\"upload_url\": \"" + UPLOAD_URL + "\"}");
    }

    static ResponseDefinitionBuilder transcript(String id, String status) {
        return json(200, """
                {"id": "%s", "status": "%s", "audio_url": "%s", "language_code": "en", "speech_models": ["universal-2"],
                 "text": null, "words": null, "confidence": null, "punctuate": true, "format_text": true, "error": null}"""
                .formatted(id, status, UPLOAD_URL));
    }

    static ResponseDefinitionBuilder completed(String id) {
        return json(200, """
                {"id": "%s", "status": "completed", "audio_url": "%s",
                 "language_model": "assemblyai_default", "acoustic_model": "assemblyai_default",
                 "language_code": "en", "speech_model_used": "universal-2",
                 "text": "Hello world.", "confidence": 0.93, "audio_duration": 2,
                 "words": [{"text": "Hello", "start": 240, "end": 560, "confidence": 0.98, "speaker": null},
                           {"text": "world.", "start": 600, "end": 900, "confidence": 0.90, "speaker": null}],
                 "utterances": null, "punctuate": true, "format_text": true, "webhook_auth": false,
                 "auto_highlights": false, "redact_pii": false, "summarization": false, "error": null}"""
                .formatted(id, UPLOAD_URL));
    }

    static ResponseDefinitionBuilder failed(String id) {
        return json(200, """
                {"id": "%s", "status": "error", "audio_url": "%s", "text": null, "words": null,
                 "error": "Transcoding failed. File does not appear to contain audio."}""".formatted(id, UPLOAD_URL));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of("assemblyai.base-url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
