package dev.speechfleet.bench;

import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bare whisper-jni in a JVM of its own, as the Whisper consumer's would be: {@code initNoState}, one
 * state per thread, {@code fullWithState} with the service's decoding settings (no timestamps,
 * greedy) on the same audio the fleet gets, no Redis and no fleet code. System properties:
 * {@code bench.model}, {@code bench.utterance-ms}, {@code bench.chunks}, {@code bench.rounds},
 * {@code bench.states}, {@code bench.threads}, {@code bench.audio-ctx-floor} (0: full window).
 * Prints {@code ROUND <nanoseconds>} per round after warming every state.
 */
public final class BareWhisperMain {

    private BareWhisperMain() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(System.getProperty("bench.model"));
        int chunks = Integer.getInteger("bench.chunks", 8);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int states = Integer.getInteger("bench.states", 2);
        DecodingSettings decoding = new DecodingSettings(Integer.getInteger("bench.threads", 1), 1, false,
                Integer.getInteger("bench.audio-ctx-floor", 0));
        float[] samples = Pcm16.toSamples(BenchAudio.recordedSpeech(Integer.getInteger("bench.utterance-ms", 2500)));

        NativeLibrary.load(Path.of(System.getProperty("user.home"), ".cache/speech-fleet/whisper/native"));
        WhisperJNI whisper = new WhisperJNI();
        WhisperContext context = whisper.initNoState(model);
        List<WhisperState> pool = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            pool.add(whisper.initState(context));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(states)) {
            for (WhisperState state : pool) {
                whisper.fullWithState(context, state, decoding.params("en", null, samples.length), samples,
                        samples.length);
            }
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < states; t++) {
                    WhisperState state = pool.get(t);
                    int calls = chunks / states + (t < chunks % states ? 1 : 0);
                    runs.add(threads.submit(() -> {
                        for (int c = 0; c < calls; c++) {
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
                System.out.println("ROUND " + (System.nanoTime() - start));
            }
        } finally {
            pool.forEach(whisper::free);
            whisper.free(context);
        }
    }
}
