package dev.speechfleet.assemblyai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The transcript object of {@code POST /v2/transcript} and {@code GET /v2/transcript/{id}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record TranscriptResponse(
        String id,
        String status,
        String text,
        Double confidence,
        List<Word> words,
        @JsonProperty("language_code") String languageCode,
        @JsonProperty("speech_model_used") String speechModelUsed,
        @JsonProperty("audio_url") String audioUrl,
        String error) {

    static final String COMPLETED = "completed";
    static final String ERROR = "error";

    /** Times in milliseconds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Word(String text, long start, long end, Double confidence) {
    }
}
