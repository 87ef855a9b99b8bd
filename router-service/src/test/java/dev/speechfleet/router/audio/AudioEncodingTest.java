package dev.speechfleet.router.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The encodings a start may name, and the rates each can carry. */
class AudioEncodingTest {

    @Test
    void theWireNamesAreThoseOfTheProtocol() {
        assertThat(AudioEncoding.fromWire("pcm_s16le")).contains(AudioEncoding.PCM_S16LE);
        assertThat(AudioEncoding.fromWire("opus")).contains(AudioEncoding.OPUS);
        assertThat(AudioEncoding.fromWire("OPUS")).isEmpty();
        assertThat(AudioEncoding.fromWire("flac")).isEmpty();
        assertThat(AudioEncoding.names()).containsExactly("pcm_s16le", "opus");
    }

    @Test
    void opusCarriesOnlyItsOwnRatesAndPcmAny() {
        assertThat(AudioEncoding.OPUS.supports(16000)).isTrue();
        assertThat(AudioEncoding.OPUS.supports(8000)).isTrue();
        assertThat(AudioEncoding.OPUS.supports(44100)).isFalse();
        assertThat(AudioEncoding.OPUS.supports(22050)).isFalse();
        assertThat(AudioEncoding.PCM_S16LE.supports(22050)).isTrue();
    }
}
