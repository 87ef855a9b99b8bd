package dev.speechfleet.whisper.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void eightKilohertzToneBecomesTheSameToneAtSixteen() {
        float[] at8k = tone(440, 8000, 8000);

        float[] at16k = Resampler.resample(at8k, 8000, 16000);

        assertThat(at16k).hasSize(16000);
        float[] ideal = tone(440, 16000, 16000);
        // Away from the edges, where the filter has no samples beyond the signal.
        for (int i = 200; i < 15800; i++) {
            assertThat((double) at16k[i]).as("sample %d", i).isCloseTo(ideal[i], within(0.01));
        }
    }

    @Test
    void downsamplingRemovesWhatSixteenKilohertzCannotCarry() {
        float[] audible = tone(1000, 48000, 48000);
        float[] tooHigh = tone(12000, 48000, 48000);

        assertThat(rms(Resampler.resample(audible, 48000, 16000))).isCloseTo(rms(audible), within(0.01));
        assertThat(rms(Resampler.resample(tooHigh, 48000, 16000))).as("a 12 kHz tone would alias to 4 kHz")
                .isLessThan(0.01);
    }

    @Test
    void theSameRateIsACopyAndABadRateIsRefused() {
        float[] samples = {0.1f, -0.2f};

        assertThat(Resampler.resample(samples, 16000, 16000)).containsExactly(0.1f, -0.2f).isNotSameAs(samples);
        assertThatThrownBy(() -> Resampler.resample(samples, 0, 16000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eightKilohertzPcmIsDeliveredAtSixteenPaddedToWhispersMinimum() {
        byte[] pcm = new byte[2 * 4000]; // 0.5 s at 8 kHz

        float[] samples = Pcm16.toSamples(pcm, 8000);

        assertThat(samples).hasSize(Pcm16.MIN_SAMPLES);
        assertThat(Pcm16.toSamples(new byte[2 * 16000], 8000)).hasSize(32000);
    }

    private static float[] tone(double hz, int rate, int count) {
        float[] samples = new float[count];
        for (int i = 0; i < count; i++) {
            samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return samples;
    }

    private static double rms(float[] samples) {
        double sum = 0;
        for (int i = samples.length / 10; i < samples.length * 9 / 10; i++) {
            sum += samples[i] * samples[i];
        }
        return Math.sqrt(sum / (samples.length * 8 / 10));
    }
}
