package dev.speechfleet.deepgram;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
 * A local Deepgram: WireMock on loopback answering {@code POST /v1/listen} only when the request is
 * exactly what provider-contracts.md §1.1 documents (parameter names, {@code Token} scheme,
 * {@code audio/wav} WAV body). Anything else is unmatched (WireMock's 404), which the tests assert
 * never happens. The bodies are Deepgram's documented success and error bodies (§1.2, §1.3).
 */
public class DeepgramMockServer implements QuarkusTestResourceLifecycleManager {

    static final String API_KEY = "test-key";

    static final String SUCCESS_BODY = """
            {"metadata":{"transaction_key":"deprecated","request_id":"3f0c2a9e-6b1d-4e57-9a3c-0d2b7c1e5f48",
              "sha256":"9b1fe2","created":"2026-09-03T04:02:31.457Z","duration":0.2,"channels":1,
              "models":["2187e11a-3532-4498-b076-81fa530bdd49"],
              "model_info":{"2187e11a-3532-4498-b076-81fa530bdd49":{"name":"general-nova-3","version":"2025-01-01.0","arch":"nova-3"}}},
             "results":{"channels":[{"alternatives":[{"transcript":"Hello, world.","confidence":0.999,
               "words":[{"word":"hello","start":0.0,"end":0.48,"confidence":0.8157,"punctuated_word":"Hello,"},
                        {"word":"world","start":0.48,"end":0.88,"confidence":0.9717,"punctuated_word":"world."}]}]}]}}""";
    static final String CORRUPT_AUDIO_BODY = """
            {"err_code":"Bad Request","err_msg":"Bad Request: failed to process audio: corrupt or unsupported data","request_id":"r-400"}""";
    static final String INVALID_AUTH_BODY = """
            {"err_code":"INVALID_AUTH","err_msg":"Invalid credentials.","request_id":"r-401"}""";
    static final String PAYMENT_REQUIRED_BODY = """
            {"err_code":"ASR_PAYMENT_REQUIRED","err_msg":"Project does not have enough credits for an ASR request and does not have an overage agreement.","request_id":"r-402"}""";
    static final String TOO_MANY_REQUESTS_BODY = """
            {"err_code":"TOO_MANY_REQUESTS","err_msg":"Too many requests. Please try again later","request_id":"r-429"}""";

    private static WireMockServer server;

    static WireMockServer server() {
        return server;
    }

    /** The documented request, matched field by field; a stub answers it with {@code response}. */
    static MappingBuilder listen(String language) {
        return post(urlPathEqualTo("/v1/listen"))
                .withHeader("Authorization", equalTo("Token " + API_KEY))
                .withHeader("Content-Type", equalTo("audio/wav"))
                .withQueryParam("model", equalTo("nova-3"))
                .withQueryParam("language", equalTo(language))
                .withQueryParam("smart_format", equalTo("true"))
                .withQueryParam("punctuate", equalTo("true"))
                .withRequestBody(matching("(?s)^RIFF.{1,4}WAVEfmt .*"));
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        return Map.of("deepgram.base-url", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
