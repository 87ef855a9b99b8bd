package dev.speechfleet.client;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/** 16-bit little-endian mono PCM made in Java, for tests and simulated devices: silence, noise, tone bursts. */
public final class Pcm {

    private Pcm() {
    }

    public static byte[] silence(int sampleRate, int ms) {
        return new byte[sampleRate * ms / 1000 * 2];
    }

    /** Gaussian noise at an RMS of {@code rms} (of 32768), reproducible by seed. */
    public static byte[] noise(int sampleRate, int ms, double rms, long seed) {
        Random random = new Random(seed);
        short[] samples = new short[sampleRate * ms / 1000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = clip(random.nextGaussian() * rms);
        }
        return bytes(samples);
    }

    /** A voiced-like burst: 220 Hz with harmonics, amplitude {@code peak}. */
    public static byte[] tone(int sampleRate, int ms, double peak) {
        short[] samples = new short[sampleRate * ms / 1000];
        for (int i = 0; i < samples.length; i++) {
            double t = (double) i / sampleRate;
            double v = Math.sin(2 * Math.PI * 220 * t) + 0.5 * Math.sin(2 * Math.PI * 440 * t)
                    + 0.25 * Math.sin(2 * Math.PI * 880 * t);
            samples[i] = clip(v / 1.75 * peak);
        }
        return bytes(samples);
    }

    /** Concatenates pieces. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Adds {@code b} into {@code a} from sample {@code at}, clipping. */
    public static void mixInto(short[] a, short[] b, int at) {
        for (int i = 0; i < b.length && at + i < a.length; i++) {
            a[at + i] = clip(a[at + i] + b[i]);
        }
    }

    public static short[] samples(byte[] pcm) {
        short[] out = new short[pcm.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) ((pcm[2 * i] & 0xff) | (pcm[2 * i + 1] << 8));
        }
        return out;
    }

    public static byte[] bytes(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    private static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
