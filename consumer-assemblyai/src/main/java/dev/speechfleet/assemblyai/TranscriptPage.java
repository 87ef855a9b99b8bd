package dev.speechfleet.assemblyai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Answer of {@code GET /v2/transcript}: recent transcripts, newest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
record TranscriptPage(List<Item> transcripts) {

    /** {@code created}: UTC date-time without a zone, for example {@code 2023-11-02T21:49:25.586965}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Item(String id, String status, @JsonProperty("audio_url") String audioUrl, String created) {
    }
}
