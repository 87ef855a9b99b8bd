package dev.speechfleet.parakeet;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code response_format=json}: only {@code text}, the subset NIM, community servers and OpenAI share. */
@JsonIgnoreProperties(ignoreUnknown = true)
record TranscriptionResponse(String text) {
}
