package dev.speechfleet.whisper.engine;

import java.util.Arrays;

/** Conversion of 16-bit little-endian PCM, as the devices send it, to the float samples Whisper reads. */
public final class Pcm16 {

    /** The only sample rate Whisper models take. */
    public static final int SAMPLE_RATE = 16_000;

    /**
     * whisper.cpp returns no segments for input shorter than one second ("input is too short"), so
     * shorter utterances are padded with silence to a little over a second.
     */
    static final int MIN_SAMPLES = SAMPLE_RATE * 11 / 10;

    private Pcm16() {
    }

    /**
     * The samples of {@code pcm}, recorded at {@code sampleRate} Hz, at Whisper's 16 kHz (resampled when
     * needed: 8 kHz devices are served, not refused), scaled to -1..1 and padded with silence to at least
     * {@link #MIN_SAMPLES}.
     *
     * @throws IllegalArgumentException if the bytes are not whole 16-bit samples or there are none
     */
    public static float[] toSamples(byte[] pcm, int sampleRate) {
        if (sampleRate == SAMPLE_RATE) {
            return toSamples(pcm);
        }
        float[] resampled = Resampler.resample(decode(pcm), sampleRate, SAMPLE_RATE);
        return resampled.length >= MIN_SAMPLES ? resampled : Arrays.copyOf(resampled, MIN_SAMPLES);
    }

    /**
     * The samples of 16 kHz {@code pcm} scaled to -1..1, padded with silence to at least {@link #MIN_SAMPLES}.
     *
     * @throws IllegalArgumentException if the bytes are not whole 16-bit samples or there are none
     */
    public static float[] toSamples(byte[] pcm) {
        float[] decoded = decode(pcm);
        return decoded.length >= MIN_SAMPLES ? decoded : Arrays.copyOf(decoded, MIN_SAMPLES);
    }

    private static float[] decode(byte[] pcm) {
        if (pcm.length == 0) {
            throw new IllegalArgumentException("the chunk has no audio");
        }
        if (pcm.length % 2 != 0) {
            throw new IllegalArgumentException("pcm_s16le audio must have an even number of bytes, got "
                    + pcm.length);
        }
        int count = pcm.length / 2;
        float[] samples = new float[count];
        for (int i = 0; i < count; i++) {
            int sample = (pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8);
            samples[i] = sample / 32768f;
        }
        return samples;
    }
}
