package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Pcm16Test {

    @Test
    void littleEndianSamplesAreScaledToPlusMinusOne() {
        byte[] pcm = {0x00, (byte) 0x80, (byte) 0xff, 0x7f, 0x00, 0x40, (byte) 0xff, (byte) 0xff};

        float[] samples = Pcm16.toSamples(pcm);

        assertThat(samples[0]).isEqualTo(-1f);
        assertThat(samples[1]).isEqualTo(32767 / 32768f);
        assertThat(samples[2]).isEqualTo(0.5f);
        assertThat(samples[3]).isEqualTo(-1 / 32768f);
    }

    @Test
    void shortAudioIsPaddedWithSilenceToOverASecond() {
        float[] samples = Pcm16.toSamples(new byte[] {0x00, 0x40});

        assertThat(samples).hasSize(Pcm16.MIN_SAMPLES);
        assertThat(samples[0]).isEqualTo(0.5f);
        assertThat(samples[Pcm16.MIN_SAMPLES - 1]).isZero();
    }

    @Test
    void longAudioKeepsItsLength() {
        float[] samples = Pcm16.toSamples(new byte[2 * 48_000]);

        assertThat(samples).hasSize(48_000);
    }

    @Test
    void anOddNumberOfBytesIsRejected() {
        assertThatThrownBy(() -> Pcm16.toSamples(new byte[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("even number of bytes");
    }

    @Test
    void emptyAudioIsRejected() {
        assertThatThrownBy(() -> Pcm16.toSamples(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no audio");
    }
}
