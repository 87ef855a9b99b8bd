package dev.speechfleet.assemblyai;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Answer of {@code POST /v2/upload}. */
@JsonIgnoreProperties(ignoreUnknown = true)
record UploadResponse(@JsonProperty("upload_url") String uploadUrl) {
}
