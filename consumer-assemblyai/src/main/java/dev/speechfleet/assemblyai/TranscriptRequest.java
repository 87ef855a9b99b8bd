package dev.speechfleet.assemblyai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of {@code POST /v2/transcript}: the uploaded audio, the speech models asked for explicitly,
 * either a language code or language detection, and the session's key terms when it has some.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TranscriptRequest(
        @JsonProperty("audio_url") String audioUrl,
        @JsonProperty("speech_models") List<String> speechModels,
        @JsonProperty("language_code") String languageCode,
        @JsonProperty("language_detection") Boolean languageDetection,
        @JsonProperty("punctuate") boolean punctuate,
        @JsonProperty("format_text") boolean formatText,
        @JsonProperty("keyterms_prompt") List<String> keytermsPrompt) {
}
