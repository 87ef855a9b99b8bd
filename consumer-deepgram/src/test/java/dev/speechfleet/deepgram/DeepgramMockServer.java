package dev.speechfleet.deepgram;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import dev.speechfleet.core.testing.ProviderMockServer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A local Deepgram: WireMock on loopback answering {@code POST /v1/listen} only when the request is
 * exactly what provider-contracts.md §1.1 documents (parameter names, {@code Token} scheme,
 * {@code audio/wav} WAV body) and carries no query parameter beyond the expected ones: real Deepgram
 * silently ignores a misspelled option, so the mock refuses it instead. Anything else is unmatched
 * (WireMock's 404), which the tests assert never happens. The bodies are Deepgram's documented
 * success and error bodies (§1.2, §1.3).
 */
public class DeepgramMockServer extends ProviderMockServer {

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

    public DeepgramMockServer() {
        super("deepgram.base-url");
    }

    static WireMockServer server() {
        return running(DeepgramMockServer.class);
    }

    /**
     * The query parameters {@code POST /v1/listen} defines in Deepgram's OpenAPI spec
     * (../shared/reference/deepgram/openapi.yml), plus {@code sample_rate} and {@code channels}, which
     * its docs add for raw audio.
     */
    static final Set<String> DOCUMENTED_PARAMETERS = Set.of("callback", "callback_method", "extra", "sentiment",
            "summarize", "tag", "topics", "custom_topic", "custom_topic_mode", "intents", "custom_intent",
            "custom_intent_mode", "detect_entities", "detect_language", "diarize", "diarize_model", "dictation",
            "encoding", "filler_words", "keyterm", "keywords", "language", "measurements", "model", "multichannel",
            "numerals", "paragraphs", "profanity_filter", "punctuate", "redact", "replace", "search", "smart_format",
            "utterances", "utt_split", "version", "mip_opt_out", "sample_rate", "channels");

    /** The documented request of the default configuration, matched field by field. */
    static MappingBuilder listen(String language) {
        return listen("nova-3", language, List.of(), false);
    }

    /**
     * The documented request: exactly these parameters, {@code keyterm} repeated once per key term and
     * {@code mip_opt_out=true} only when asked for.
     */
    static MappingBuilder listen(String model, String language, List<String> keyterms, boolean mipOptOut) {
        Set<String> expected = new TreeSet<>(Set.of("model", "language", "smart_format", "punctuate"));
        MappingBuilder stub = post(urlPathEqualTo("/v1/listen"))
                .withHeader("Authorization", equalTo("Token " + API_KEY))
                .withHeader("Content-Type", equalTo("audio/wav"))
                .withQueryParam("model", equalTo(model))
                .withQueryParam("language", equalTo(language))
                .withQueryParam("smart_format", equalTo("true"))
                .withQueryParam("punctuate", equalTo("true"))
                .withRequestBody(matching("(?s)^RIFF.{1,4}WAVEfmt .*"));
        if (!keyterms.isEmpty()) {
            expected.add("keyterm");
            stub = stub.withQueryParam("keyterm", havingExactly(keyterms.toArray(String[]::new)));
        }
        if (mipOptOut) {
            expected.add("mip_opt_out");
            stub = stub.withQueryParam("mip_opt_out", equalTo("true"));
        }
        return stub.andMatching(onlyParameters(expected));
    }

    /** Matches only when the query holds exactly {@code names}, each documented by Deepgram. */
    public static ValueMatcher<Request> onlyParameters(Set<String> names) {
        if (!DOCUMENTED_PARAMETERS.containsAll(names)) {
            throw new IllegalArgumentException("not Deepgram parameters: " + names);
        }
        return ProviderMockServer.onlyParameters(names);
    }

}
