package dev.speechfleet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StreamKeysTest {

    @Test
    void providerKeysKeepTheNamesOperatorsKnow() {
        assertThat(StreamKeys.audioStream("whisper")).isEqualTo("audio:stream:whisper");
        assertThat(StreamKeys.workerGroup("whisper")).isEqualTo("whisper_workers");
    }

    @Test
    void whatAProviderServesSitsBesideItsHealth() {
        assertThat(StreamKeys.providerHealth("parakeet")).isEqualTo("provider:health:parakeet");
        assertThat(StreamKeys.providerCapabilities("parakeet")).isEqualTo("provider:capabilities:parakeet");
        assertThatThrownBy(() -> StreamKeys.providerCapabilities("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sessionKeysShareAHashTag() {
        assertThat(StreamKeys.sessionResults("abc")).isEqualTo("transcription:results:{abc}");
        assertThat(StreamKeys.session("abc")).isEqualTo("session:{abc}");
    }

    @Test
    void blobAndItsReferenceCountShareAHashTag() {
        assertThat(StreamKeys.audioBlob("abc:3")).isEqualTo("audio:blob:{abc:3}");
        assertThat(StreamKeys.audioBlobRefs("abc:3")).isEqualTo("audio:blob:{abc:3}:refs");
        assertThat(StreamKeys.audioBlobReleased("abc:3")).isEqualTo("audio:blob:{abc:3}:released");
    }

    @Test
    void providerNamesThatCouldBreakKeysAreRejected() {
        assertThatThrownBy(() -> StreamKeys.audioStream("Deep Gram")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StreamKeys.audioStream("a:b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void idsWithBracesAreRejectedBecauseTheyWouldChangeTheHashSlot() {
        assertThatThrownBy(() -> StreamKeys.session("a{b}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aggregatorChunkKeysShareTheSessionResultStreamsHashTag() {
        assertThat(StreamKeys.aggregatorChunk("dev-7:abc", 12)).isEqualTo("aggregator:chunk:{dev-7:abc}:12");
        assertThat(StreamKeys.aggregatorEmitted("dev-7:abc", 12)).isEqualTo("aggregator:emitted:{dev-7:abc}:12");
        assertThat(StreamKeys.sessionResults("dev-7:abc")).endsWith("{dev-7:abc}");
    }

    @Test
    void assemblyAiTranscriptRecordIsTaggedWithTheChunkId() {
        assertThat(StreamKeys.assemblyAiTranscript("sess-1:7")).isEqualTo("assemblyai:transcript:{sess-1:7}");
        assertThatThrownBy(() -> StreamKeys.assemblyAiTranscript("a}b")).isInstanceOf(IllegalArgumentException.class);
    }
}
