package dev.speechfleet.bench;

import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bare whisper-jni in a JVM of its own, as the Whisper consumer's would be: {@code initNoState}, one
 * state per thread, {@code fullWithState} with the service's decoding settings (no timestamps,
 * greedy, no temperature fallback) on the same audio the fleet gets, no Redis and no fleet code.
 * System properties: {@code bench.model}, {@code bench.utterance-ms}, {@code bench.chunks},
 * {@code bench.states}, {@code bench.threads}, {@code bench.audio-ctx-floor} (the floor of the sized turns).
 *
 * <p>Runs turns on command, so that a benchmark can interleave them with the fleet's: it warms every
 * state in both modes, prints {@code READY}, then for each line {@code full} or {@code sized} read from
 * its standard input transcribes {@code bench.chunks} chunks over its states (each taking the next when
 * free) with the full 30 s window or the encoder context sized to the utterance, and prints
 * {@code TURN <mode> <nanoseconds>}; it ends at the end of its input.
 */
public final class BareWhisperMain {

    private BareWhisperMain() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(System.getProperty("bench.model"));
        int chunks = Integer.getInteger("bench.chunks", 8);
        int states = Integer.getInteger("bench.states", 2);
        int threads = Integer.getInteger("bench.threads", 1);
        DecodingSettings full = new DecodingSettings(threads, 1, false, 0);
        DecodingSettings sized = new DecodingSettings(threads, 1, false, Integer.getInteger("bench.audio-ctx-floor",
                256));
        float[] samples = Pcm16.toSamples(BenchAudio.recordedSpeech(Integer.getInteger("bench.utterance-ms", 2500)));

        NativeLibrary.load(Path.of(System.getProperty("user.home"), ".cache/speech-fleet/whisper/native"));
        WhisperJNI whisper = new WhisperJNI();
        WhisperContext context = whisper.initNoState(model);
        List<WhisperState> pool = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            pool.add(whisper.initState(context));
        }
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (ExecutorService workers = Executors.newFixedThreadPool(states)) {
            for (WhisperState state : pool) {
                for (DecodingSettings decoding : List.of(full, sized)) {
                    whisper.fullWithState(context, state, decoding.params("en", null, samples.length), samples,
                            samples.length);
                }
            }
            System.out.println("READY");
            for (String mode = commands.readLine(); mode != null; mode = commands.readLine()) {
                DecodingSettings decoding = switch (mode.strip()) {
                    case "full" -> full;
                    case "sized" -> sized;
                    default -> throw new IllegalArgumentException("unknown turn: " + mode);
                };
                long start = System.nanoTime();
                // Each state takes the next chunk when it is free, as the consumer's worker slots do: a state
                // slowed by the machine's other work does not hold the turn up with a fixed share of its own.
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> runs = new ArrayList<>();
                for (WhisperState state : pool) {
                    runs.add(workers.submit(() -> {
                        while (next.getAndIncrement() < chunks) {
                            // A sample array per call, as the consumer has one per chunk.
                            float[] own = samples.clone();
                            whisper.fullWithState(context, state, decoding.params("en", null, own.length), own,
                                    own.length);
                        }
                        return null;
                    }));
                }
                for (Future<?> run : runs) {
                    run.get();
                }
                System.out.println("TURN " + mode.strip() + " " + (System.nanoTime() - start));
            }
        } finally {
            pool.forEach(whisper::free);
            whisper.free(context);
        }
    }
}
