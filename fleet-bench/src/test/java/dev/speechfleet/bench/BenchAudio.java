package dev.speechfleet.bench;

import dev.speechfleet.client.PcmAudio;
import dev.speechfleet.client.SampleSpeech;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** The audio benchmarks send: made in Java, deterministic, shared between devices (never copied per device). */
final class BenchAudio {

    static final int RATE = 16000;

    private BenchAudio() {
    }

    /** Digital silence: the VAD cuts nothing from it. */
    static PcmAudio silence(int seconds) {
        return new PcmAudio(new byte[seconds * RATE * 2], RATE);
    }

    /** One utterance of {@code ms} of voiced sound, as the injector dispatches it. */
    static byte[] utterance(int ms) {
        return voiced(ms * RATE / 1000, 140);
    }

    /**
     * {@code totalMs} of speech with pauses, variant {@code v}: voiced stretches of 0.8 to 1.5 s and
     * pauses of 0.7 to 1.3 s (the VAD cuts one utterance per stretch), different per variant.
     */
    static PcmAudio speechWithPauses(int v, long totalMs) {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        long at = 0;
        int u = 0;
        while (at < totalMs) {
            long pause = 700 + ((v * 3L + u * 5L) % 7) * 100;
            long speech = 800 + ((v * 7L + u * 3L) % 8) * 100;
            pcm.writeBytes(new byte[(int) (Math.min(pause, totalMs - at) * RATE / 1000) * 2]);
            at += pause;
            if (at + speech + 500 > totalMs) {
                break;
            }
            pcm.writeBytes(voiced((int) (speech * RATE / 1000), 110 + (v % 8) * 15));
            at += speech;
            u++;
        }
        byte[] bytes = Arrays.copyOf(pcm.toByteArray(), (int) (totalMs * RATE / 1000) * 2);
        return new PcmAudio(bytes, RATE);
    }

    /** The device client's bundled recording (four spoken sentences, 10 s), cut or padded to {@code ms}. */
    static byte[] recordedSpeech(int ms) {
        return Arrays.copyOf(SampleSpeech.recording().pcm(), ms * RATE / 1000 * 2);
    }

    /** A buzz with harmonics at {@code pitchHz}: well above the VAD's threshold. */
    private static byte[] voiced(int samples, double pitchHz) {
        byte[] pcm = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            double t = (double) i / RATE;
            double v = 6000 * (Math.sin(2 * Math.PI * pitchHz * t) + 0.5 * Math.sin(4 * Math.PI * pitchHz * t)
                    + 0.25 * Math.sin(6 * Math.PI * pitchHz * t)) / 1.75;
            short s = (short) Math.round(v);
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        return pcm;
    }
}
