package dev.speechfleet.assemblyai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Answer of {@code GET /v2/transcript}: recent transcripts, newest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
record TranscriptPage(List<Item> transcripts) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(String id, String status, @JsonProperty("audio_url") String audioUrl) {
    }
}
