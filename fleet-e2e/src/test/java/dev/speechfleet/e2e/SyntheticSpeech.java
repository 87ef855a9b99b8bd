package dev.speechfleet.e2e;

import dev.speechfleet.client.PcmAudio;
import java.io.ByteArrayOutputStream;

/**
 * Speech-like audio made in Java for fault tests that need to know exactly where each utterance
 * is: voiced stretches (a buzz with harmonics) where asked, silence between.
 */
final class SyntheticSpeech {

    static final int RATE = 16000;

    private SyntheticSpeech() {
    }

    /** {@code stretches} as {start ms, end ms} pairs, in order, within {@code totalMs} of audio. */
    static PcmAudio of(long[][] stretches, long totalMs, double pitchHz) {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        int next = 0;
        for (long i = 0; i < totalMs * RATE / 1000; i++) {
            long ms = i * 1000 / RATE;
            while (next < stretches.length && ms >= stretches[next][1]) {
                next++;
            }
            double v = 0;
            if (next < stretches.length && ms >= stretches[next][0]) {
                double t = (double) i / RATE;
                v = 6000 * (Math.sin(2 * Math.PI * pitchHz * t) + 0.5 * Math.sin(4 * Math.PI * pitchHz * t)
                        + 0.25 * Math.sin(6 * Math.PI * pitchHz * t)) / 1.75;
            }
            short s = (short) Math.round(v);
            pcm.write(s & 0xff);
            pcm.write((s >> 8) & 0xff);
        }
        return new PcmAudio(pcm.toByteArray(), RATE);
    }
}
