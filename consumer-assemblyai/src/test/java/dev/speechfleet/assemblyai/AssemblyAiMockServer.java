package dev.speechfleet.assemblyai;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.speechfleet.core.testing.ProviderMockServer;
import java.util.List;
import java.util.Set;

/**
 * A local AssemblyAI: WireMock on loopback serving {@code /v2/upload}, {@code /v2/transcript} and
 * {@code /v2/transcript/{id}} only for the documented requests (provider-contracts.md §2.4): the raw
 * key in {@code Authorization}, octet-stream uploads, the exact JSON of a transcript request. Anything
 * else is unmatched (WireMock's 404), which the tests assert never happens. Bodies are AssemblyAI's
 * documented transcript objects and {@code {"error": …}} replies.
 */
public class AssemblyAiMockServer extends ProviderMockServer {

    static final String API_KEY = "test-key";
    static final String UPLOAD_URL = "https://cdn.assemblyai.com/upload/6c9e4d2a-1f0b-4b7e-9a55-3d2f1e0c8b71";
    static final String TRANSCRIPT_ID = "6f3b2c1d-0000-4a1b-9c2d-123456789abc";
    static final String AUTH_ERROR_BODY = "{\"error\": \"Authentication error, API token missing/invalid\"}";
    static final String NEGATIVE_BALANCE_BODY =
            "{\"error\": \"Your current account balance is negative. Please top up to continue using the API.\"}";

    public AssemblyAiMockServer() {
        super("assemblyai.base-url");
    }

    static WireMockServer server() {
        return running(AssemblyAiMockServer.class);
    }

    static MappingBuilder upload() {
        return post(urlPathEqualTo("/v2/upload"))
                .withHeader("Authorization", equalTo(API_KEY))
                .withHeader("Content-Type", equalTo("application/octet-stream"))
                .withRequestBody(matching("(?s)^RIFF.{1,4}WAVEfmt .*"));
    }

    /** The documented transcript request of an English chunk without key terms. */
    static MappingBuilder submit() {
        return submit("en", List.of());
    }

    /**
     * The documented transcript request, the whole JSON body compared (an unknown or misspelled field
     * does not match): {@code language_code} as AssemblyAI spells it, {@code keyterms_prompt} only
     * when there are key terms.
     */
    static MappingBuilder submit(String languageCode, List<String> keyterms) {
        String terms = keyterms.isEmpty() ? "" : ", \"keyterms_prompt\": " + jsonArray(keyterms);
        return post(urlPathEqualTo("/v2/transcript"))
                .withHeader("Authorization", equalTo(API_KEY))
                .withHeader("Content-Type", matching("application/json(;.*)?"))
                .withRequestBody(equalToJson("""
                        {"audio_url": "%s", "speech_models": ["universal-2"], "language_code": "%s",
                         "punctuate": true, "format_text": true%s}""".formatted(UPLOAD_URL, languageCode, terms)));
    }

    static MappingBuilder poll(String transcriptId) {
        return get(urlPathEqualTo("/v2/transcript/" + transcriptId)).withHeader("Authorization", equalTo(API_KEY))
                .andMatching(onlyParameters(Set.of()));
    }

    static MappingBuilder delete(String transcriptId) {
        return WireMock.delete(urlPathEqualTo("/v2/transcript/" + transcriptId))
                .withHeader("Authorization", equalTo(API_KEY)).andMatching(onlyParameters(Set.of()));
    }

    /** The newest page of {@code GET /v2/transcript}: {@code limit=200} and nothing else. */
    static MappingBuilder recentTranscripts() {
        return get(urlPathEqualTo("/v2/transcript")).withHeader("Authorization", equalTo(API_KEY))
                .withQueryParam("limit", equalTo("200")).andMatching(onlyParameters(Set.of("limit")));
    }

    /** An older page: {@code limit=200&before_id=<id>}. */
    static MappingBuilder transcriptsBefore(String beforeId) {
        return get(urlPathEqualTo("/v2/transcript")).withHeader("Authorization", equalTo(API_KEY))
                .withQueryParam("limit", equalTo("200")).withQueryParam("before_id", equalTo(beforeId))
                .andMatching(onlyParameters(Set.of("limit", "before_id")));
    }

    /** A page of the transcript list as AssemblyAI answers it, {@code items} newest first. */
    static ResponseDefinitionBuilder page(List<String> items) {
        return json(200, "{\"page_details\": {\"limit\": 200, \"result_count\": " + items.size()
                + "}, \"transcripts\": [" + String.join(",", items) + "]}");
    }

    /** One item of the transcript list. */
    static String item(String id, String audioUrl, String created) {
        return """
                {"id": "%s", "resource_url": "https://api.assemblyai.com/v2/transcript/%s", "status": "completed",
                 "created": "%s", "completed": "%s", "audio_url": "%s", "error": null}"""
                .formatted(id, id, created, created, audioUrl);
    }

    private static String jsonArray(List<String> values) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(values.get(i).replace("\"", "\\\"")).append('"');
        }
        return json.append(']').toString();
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
        return completed(id, "en");
    }

    /** A completed transcript in AssemblyAI's {@code languageCode}. */
    static ResponseDefinitionBuilder completed(String id, String languageCode) {
        return json(200, """
                {"id": "%s", "status": "completed", "audio_url": "%s",
                 "language_model": "assemblyai_default", "acoustic_model": "assemblyai_default",
                 "language_code": "%s", "speech_model_used": "universal-2",
                 "text": "Hello world.", "confidence": 0.93, "audio_duration": 2,
                 "words": [{"text": "Hello", "start": 240, "end": 560, "confidence": 0.98, "speaker": null},
                           {"text": "world.", "start": 600, "end": 900, "confidence": 0.90, "speaker": null}],
                 "utterances": null, "punctuate": true, "format_text": true, "webhook_auth": false,
                 "auto_highlights": false, "redact_pii": false, "summarization": false, "error": null}"""
                .formatted(id, UPLOAD_URL, languageCode));
    }

    /** Completed, but with no text at all (what AssemblyAI sends for audio without speech). */
    static ResponseDefinitionBuilder completedWithoutText(String id) {
        return json(200, """
                {"id": "%s", "status": "completed", "audio_url": "%s", "language_code": "en",
                 "speech_model_used": "universal-2", "text": null, "words": null, "confidence": null,
                 "audio_duration": 1, "error": null}""".formatted(id, UPLOAD_URL));
    }

    /** What a poll of a transcript AssemblyAI does not have may answer: 400, not only 404. */
    static ResponseDefinitionBuilder transcriptNotFound(int status) {
        return json(status, "{\"error\": \"Transcript not found\"}");
    }

    static ResponseDefinitionBuilder failed(String id) {
        return json(200, """
                {"id": "%s", "status": "error", "audio_url": "%s", "text": null, "words": null,
                 "error": "Transcoding failed. File does not appear to contain audio."}""".formatted(id, UPLOAD_URL));
    }

}
