package dev.speechfleet.e2e;

import dev.speechfleet.client.PcmAudio;
import java.io.ByteArrayOutputStream;

/**
 * Speech-like test audio made in Java: voiced stretches (a 150 Hz buzz with two harmonics, as a
 * vowel has) separated by silence, so that the router's VAD cuts one utterance per stretch without
 * any speech synthesiser installed.
 */
final class VoicedBursts {

    static final int RATE = 16000;

    private VoicedBursts() {
    }

    /** {@code bursts} stretches of {@code burstMs}, each followed by {@code gapMs} of silence, after 300 ms of silence. */
    static PcmAudio of(int bursts, long burstMs, long gapMs) {
        long[][] stretches = new long[bursts][];
        long at = 300;
        for (int i = 0; i < bursts; i++) {
            stretches[i] = new long[] {at, at + burstMs};
            at += burstMs + gapMs;
        }
        return at(stretches, at);
    }

    /** Voiced where {@code stretches} ({@code [start, end)} in ms) say, silence elsewhere, {@code totalMs} long. */
    static PcmAudio at(long[][] stretches, long totalMs) {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        for (long i = 0; i < totalMs * RATE / 1000; i++) {
            long ms = i * 1000 / RATE;
            double v = 0;
            for (long[] stretch : stretches) {
                if (ms >= stretch[0] && ms < stretch[1]) {
                    double t = (double) i / RATE;
                    v = 6000 * (Math.sin(2 * Math.PI * 150 * t) + 0.5 * Math.sin(2 * Math.PI * 300 * t)
                            + 0.25 * Math.sin(2 * Math.PI * 450 * t)) / 1.75;
                }
            }
            short s = (short) Math.round(v);
            pcm.write(s & 0xff);
            pcm.write((s >> 8) & 0xff);
        }
        return new PcmAudio(pcm.toByteArray(), RATE);
    }
}
