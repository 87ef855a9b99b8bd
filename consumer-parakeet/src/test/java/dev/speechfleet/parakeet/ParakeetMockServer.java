package dev.speechfleet.parakeet;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.and;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import dev.speechfleet.core.testing.ProviderMockServer;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A local NIM: WireMock on loopback answering {@code POST /v1/audio/transcriptions} only for the
 * documented multipart request (provider-contracts.md §3.2, §3.5): parts {@code file} (a WAV with a
 * file name), {@code language}, {@code response_format=json}, {@code model} only when one is
 * configured, no other part, and the bearer key. Anything else is unmatched (WireMock's 404), which
 * the tests assert never happens.
 */
public class ParakeetMockServer extends ProviderMockServer {

    static final String API_KEY = "test-key";
    /** A community server's model name (a NIM selects its model by language and needs none). */
    static final String MODEL = "nvidia/parakeet-tdt-0.6b-v3";
    static final String SUCCESS_BODY = "{\"text\": \"Hello world.\"}";
    static final String BAD_AUDIO_BODY = "{\"error\": \"failed to read audio\"}";
    static final String SERVER_ERROR_BODY = "{\"error\": \"Internal server error\", \"details\": \"CUDA out of memory\"}";

    public ParakeetMockServer() {
        super("parakeet.base-url");
    }

    static WireMockServer server() {
        return running(ParakeetMockServer.class);
    }

    /** The request of the production default: language, no model. */
    static MappingBuilder transcription(String language) {
        return transcription(language, equalTo("Bearer " + API_KEY), null);
    }

    /**
     * The documented request with the given {@code Authorization} expectation ({@code absent()} for
     * none) and {@code model} part ({@code null} for none).
     */
    static MappingBuilder transcription(String language, StringValuePattern authorization, String model) {
        Set<String> parts = new TreeSet<>(Set.of("file", "language", "response_format"));
        MappingBuilder stub = post(urlPathEqualTo("/v1/audio/transcriptions"))
                .withHeader("Authorization", authorization)
                .withHeader("Content-Type", containing("multipart/form-data"))
                .withMultipartRequestBody(aMultipart()
                        // one matcher for the header: a second withHeader on it would replace withName's
                        .withHeader("Content-Disposition", and(containing("name=\"file\""), containing("filename=")))
                        .withHeader("Content-Type", equalTo("audio/wav"))
                        .withBody(matching("(?s)^RIFF.{1,4}WAVEfmt .*")))
                .withMultipartRequestBody(aMultipart().withName("language").withBody(equalTo(language)))
                .withMultipartRequestBody(aMultipart().withName("response_format").withBody(equalTo("json")));
        if (model != null) {
            parts.add("model");
            stub = stub.withMultipartRequestBody(aMultipart().withName("model").withBody(equalTo(model)));
        }
        return stub.andMatching(onlyParts(parts));
    }

    /** Matches only when the multipart body holds exactly the parts {@code names}. */
    static ValueMatcher<Request> onlyParts(Set<String> names) {
        return request -> {
            Collection<Request.Part> parts = request.isMultipart() ? request.getParts() : List.of();
            Set<String> sent = new TreeSet<>();
            parts.forEach(part -> sent.add(part.getName()));
            return MatchResult.of(sent.equals(names) && sent.size() == parts.size());
        };
    }

}
