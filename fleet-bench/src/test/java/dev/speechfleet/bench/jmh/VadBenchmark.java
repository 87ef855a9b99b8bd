package dev.speechfleet.bench.jmh;

import dev.speechfleet.router.vad.Utterance;
import dev.speechfleet.router.vad.UtteranceSegmenter;
import dev.speechfleet.router.vad.VadSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The router's VAD per 20 ms frame (one binary message of a device sending 20 ms frames): a
 * segmenter with the default settings fed speech with pauses frame after frame, the utterances it
 * completes included (cut, copied into one array), as the socket's audio path runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VadBenchmark {

    private static final int RATE = 16000;

    /** {@code speech}: utterances of 1.2 s between pauses of 0.9 s; {@code silence}: a quiet device. */
    @Param({"speech", "silence"})
    public String audio;

    private byte[][] frames;
    private int next;
    private UtteranceSegmenter segmenter;

    @Setup
    public void prepare() {
        int frameSamples = RATE / 50;
        frames = new byte[105][];
        for (int f = 0; f < frames.length; f++) {
            boolean voiced = audio.equals("speech") && f % 105 < 60;
            byte[] pcm = new byte[frameSamples * 2];
            for (int i = 0; voiced && i < frameSamples; i++) {
                double t = (double) (f * frameSamples + i) / RATE;
                short s = (short) (5000 * Math.sin(2 * Math.PI * 140 * t) + 2000 * Math.sin(2 * Math.PI * 280 * t));
                pcm[2 * i] = (byte) s;
                pcm[2 * i + 1] = (byte) (s >> 8);
            }
            frames[f] = pcm;
        }
        segmenter = new UtteranceSegmenter(VadSettings.defaults(), RATE);
    }

    @Benchmark
    public List<Utterance> frame() {
        byte[] frame = frames[next];
        next = next + 1 == frames.length ? 0 : next + 1;
        return segmenter.feed(frame);
    }
}
