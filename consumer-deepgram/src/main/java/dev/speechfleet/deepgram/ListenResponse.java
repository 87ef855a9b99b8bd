package dev.speechfleet.deepgram;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** The parts of Deepgram's {@code ListenV1Response} the consumer reads (provider-contracts.md §1.2). */
@JsonIgnoreProperties(ignoreUnknown = true)
record ListenResponse(Metadata metadata, Results results) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metadata(@JsonProperty("request_id") String requestId, double duration,
            @JsonProperty("model_info") Map<String, ModelInfo> modelInfo) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelInfo(String name, String version, String arch) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Results(List<Channel> channels) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Channel(List<Alternative> alternatives, @JsonProperty("detected_language") String detectedLanguage) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Alternative(String transcript, Double confidence, List<Word> words) {
    }

    /** Times in seconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Word(String word, double start, double end, Double confidence,
            @JsonProperty("punctuated_word") String punctuatedWord) {
    }
}
