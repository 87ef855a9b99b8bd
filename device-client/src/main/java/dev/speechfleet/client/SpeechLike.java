package dev.speechfleet.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A speech-like signal made in Java, without any system tool: utterances of voiced syllables (a
 * gliding pitch with harmonics shaped by two formants, raised-cosine syllable envelopes, short
 * fricative noise bursts, brief gaps between syllables) separated by pauses, over a quiet noise bed.
 * Opus codes it as it codes speech (SILK at 16 kHz), and the VAD cuts it where the pauses are.
 */
public final class SpeechLike {

    /** Where an utterance's sound lies in the clip, in milliseconds. */
    public record Span(long startMs, long endMs) {
    }

    /** The clip (16-bit mono PCM) and where its utterances are. */
    public record Clip(byte[] pcm, int sampleRate, List<Span> utterances) {
        public long durationMs() {
            return pcm.length / 2 * 1000L / sampleRate;
        }
    }

    private SpeechLike() {
    }

    /**
     * {@code syllables[i]} syllables for utterance i, a pause of {@code pauseMs} before each utterance
     * and after the last; reproducible by seed.
     */
    public static Clip clip(int sampleRate, int[] syllables, int pauseMs, long seed) {
        Random random = new Random(seed);
        List<short[]> parts = new ArrayList<>();
        List<Span> spans = new ArrayList<>();
        long at = 0;
        for (int count : syllables) {
            parts.add(new short[sampleRate * pauseMs / 1000]);
            at += pauseMs;
            short[] utterance = utterance(sampleRate, count, random);
            parts.add(utterance);
            long ms = utterance.length * 1000L / sampleRate;
            spans.add(new Span(at, at + ms));
            at += ms;
        }
        parts.add(new short[sampleRate * pauseMs / 1000]);
        short[] all = join(parts);
        short[] bed = Pcm.samples(Pcm.noise(sampleRate, (int) (all.length * 1000L / sampleRate), 60, seed + 1));
        Pcm.mixInto(all, bed, 0);
        return new Clip(Pcm.bytes(all), sampleRate, List.copyOf(spans));
    }

    private static short[] utterance(int rate, int syllables, Random random) {
        List<short[]> parts = new ArrayList<>();
        double pitch = 110 + random.nextDouble() * 90;
        for (int i = 0; i < syllables; i++) {
            if (random.nextInt(3) == 0) {
                parts.add(fricative(rate, 60 + random.nextInt(50), random));
            }
            parts.add(syllable(rate, 140 + random.nextInt(120), pitch, random));
            pitch *= 0.97 + random.nextDouble() * 0.06;
            if (i < syllables - 1) {
                parts.add(new short[rate * (20 + random.nextInt(60)) / 1000]);
            }
        }
        return join(parts);
    }

    /** A voiced syllable: harmonics of a gliding pitch, weighted by two formant resonances. */
    private static short[] syllable(int rate, int ms, double pitch, Random random) {
        int n = rate * ms / 1000;
        double f1 = 350 + random.nextDouble() * 500;
        double f2 = 900 + random.nextDouble() * 1400;
        double peak = 5000 + random.nextDouble() * 5000;
        short[] out = new short[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double progress = (double) i / n;
            double f0 = pitch * (1.05 - 0.1 * progress);
            phase += 2 * Math.PI * f0 / rate;
            double v = 0;
            for (int h = 1; h * f0 < rate / 2.0 && h <= 30; h++) {
                double f = h * f0;
                v += Math.sin(h * phase) * (resonance(f, f1, 90) + 0.6 * resonance(f, f2, 140)) / h;
            }
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE,
                    v * peak * envelope(progress) * 0.5));
        }
        return out;
    }

    /** Unvoiced noise, high-passed by a first difference, as in s or f. */
    private static short[] fricative(int rate, int ms, Random random) {
        int n = rate * ms / 1000;
        short[] out = new short[n];
        double previous = 0;
        for (int i = 0; i < n; i++) {
            double noise = random.nextGaussian();
            out[i] = (short) Math.round((noise - previous) * 900 * envelope((double) i / n));
            previous = noise;
        }
        return out;
    }

    private static double resonance(double f, double centre, double width) {
        double d = (f - centre) / width;
        return 1 / (1 + d * d);
    }

    /** Raised cosine: rises over the first fifth, falls over the last fifth. */
    private static double envelope(double progress) {
        double edge = 0.2;
        if (progress < edge) {
            return 0.5 - 0.5 * Math.cos(Math.PI * progress / edge);
        }
        if (progress > 1 - edge) {
            return 0.5 - 0.5 * Math.cos(Math.PI * (1 - progress) / edge);
        }
        return 1;
    }

    private static short[] join(List<short[]> parts) {
        short[] out = new short[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (short[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
