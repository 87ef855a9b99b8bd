package dev.speechfleet.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.FailureKind;
import dev.speechfleet.core.testing.Chunks;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

class WavEncoderTest {

    @Test
    void wavIsReadByTheJdkAsMono16BitPcmWithTheSamplesUnchanged() throws Exception {
        byte[] pcm = Chunks.chunk("s", 0, null).audio();

        byte[] wav = WavEncoder.wav(pcm, 16000);

        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat format = in.getFormat();
            assertThat(format.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            assertThat(format.getSampleRate()).isEqualTo(16000f);
            assertThat(format.getChannels()).isEqualTo(1);
            assertThat(format.getSampleSizeInBits()).isEqualTo(16);
            assertThat(format.isBigEndian()).isFalse();
            assertThat(in.readAllBytes()).isEqualTo(pcm);
        }
        assertThat(wav).hasSize(WavEncoder.HEADER_BYTES + pcm.length);
        assertThat(Arrays.copyOfRange(wav, WavEncoder.HEADER_BYTES, wav.length)).isEqualTo(pcm);
    }

    @Test
    void oddByteCountIsRejected() {
        assertThatThrownBy(() -> WavEncoder.wav(new byte[3], 16000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("even byte count");
    }

    @Test
    void chunkInAnotherEncodingIsAPermanentFailure() {
        AudioChunk mulaw = AudioChunk.builder().utterance("s", "d", 1).audio(new byte[320]).encoding("mulaw")
                .sampleRate(8000).durationMs(40).language("en").policy("balanced").routeReason("test").build();

        assertThatThrownBy(() -> WavEncoder.wav(mulaw))
                .isInstanceOfSatisfying(TranscriptionException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.PERMANENT))
                .hasMessageContaining("unsupported encoding 'mulaw'");
    }
}
