package dev.speechfleet.whisper;

import dev.speechfleet.core.consumer.LoopSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RecordedSpeech;
import dev.speechfleet.core.testing.TestRedis;
import dev.speechfleet.core.worker.StreamWorker;
import dev.speechfleet.core.worker.WorkerSettings;
import dev.speechfleet.whisper.engine.DecodingSettings;
import dev.speechfleet.whisper.engine.Pcm16;
import dev.speechfleet.whisper.engine.WhisperEngine;
import dev.speechfleet.whisper.nativelib.NativeLibrary;
import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of Whisper in the fleet against bare whisper-jni calls on the same audio, with the
 * random-weight tiny.en model (real tiny.en compute cost): 1 and 2 states, 3 s and 10 s utterances.
 * The fleet figure covers the whole path (XADD on audio:stream:whisper, the fleet-core worker,
 * PCM conversion, the state pool, the hypothesis XADD and XACK); the bare figure is the same number
 * of {@code fullWithState} calls on the same number of threads and states.
 *
 * <p>Run: {@code ./mvnw -f consumer-whisper/pom.xml -Pslow -Dtest=WhisperBenchmarkTest test}
 * ({@code -Dbench.chunks=N} changes the chunks per figure, default 4).
 */
@Tag("slow")
class WhisperBenchmarkTest {

    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final int CHUNKS = Integer.getInteger("bench.chunks", 4);
    static TestRedis redis;
    static final List<String> rows = new ArrayList<>();

    @BeforeAll
    static void start() {
        NativeLibrary.load(TestModels.nativeDir());
        redis = TestRedis.start();
    }

    @AfterAll
    static void report() {
        System.out.println();
        System.out.println("Whisper benchmark: rand-tiny.en, " + CHUNKS + " chunks per row, " + CORES
                + " cores, load average at start of each row in brackets");
        System.out.println("| path | states x threads | utterance | chunks/s | real-time factor | mean ms per chunk |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        rows.forEach(System.out::println);
        redis.close();
    }

    @Test
    void fleetAgainstBareWhisperJni() throws Exception {
        boolean bareFirst = true;
        for (double seconds : new double[] {3, 10}) {
            byte[] pcm = speech(seconds);
            for (int states : new int[] {1, 2}) {
                int threads = DecodingSettings.defaultThreads(CORES, states);
                DecodingSettings decoding = new DecodingSettings(threads, 1);
                // The order alternates between rows so that an order effect (a warm page cache, a
                // neighbour's load) shows instead of passing for the fleet's overhead.
                if (bareFirst) {
                    record(bare(pcm, states, decoding), "bare whisper-jni", states, threads, seconds);
                    record(fleet(pcm, states, decoding), "fleet", states, threads, seconds);
                } else {
                    record(fleet(pcm, states, decoding), "fleet", states, threads, seconds);
                    record(bare(pcm, states, decoding), "bare whisper-jni", states, threads, seconds);
                }
                bareFirst = !bareFirst;
            }
        }
        assertThat(rows).hasSize(8);
    }

    /** Wall time of {@link #CHUNKS} fullWithState calls spread over {@code states} threads, one state each. */
    private static Duration bare(byte[] pcm, int states, DecodingSettings decoding) throws Exception {
        float[] samples = Pcm16.toSamples(pcm);
        WhisperJNI whisper = new WhisperJNI();
        WhisperContext context = whisper.initNoState(TestModels.model(TestModels.RANDOM_TINY_EN));
        List<WhisperState> pool = new ArrayList<>();
        for (int i = 0; i < states; i++) {
            pool.add(whisper.initState(context));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(states)) {
            for (WhisperState state : pool) {
                whisper.fullWithState(context, state, decoding.params("en"), samples, samples.length);
            }
            long start = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < states; t++) {
                WhisperState state = pool.get(t);
                int calls = CHUNKS / states + (t < CHUNKS % states ? 1 : 0);
                runs.add(threads.submit(() -> {
                    for (int c = 0; c < calls; c++) {
                        // A sample array per call, as the fleet has one per chunk.
                        float[] own = samples.clone();
                        whisper.fullWithState(context, state, decoding.params("en"), own, own.length);
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            return Duration.ofNanos(System.nanoTime() - start);
        } finally {
            pool.forEach(whisper::free);
            whisper.free(context);
        }
    }

    /** Wall time from the first XADD of {@link #CHUNKS} chunks to the last hypothesis, through the worker. */
    private static Duration fleet(byte[] pcm, int states, DecodingSettings decoding) throws Exception {
        redis.flush();
        RedisStreams streams = redis.streams();
        try (WhisperEngine engine = WhisperEngine.load(TestModels.model(TestModels.RANDOM_TINY_EN), "rand-tiny.en",
                states, decoding)) {
            WhisperProvider provider = new WhisperProvider(() -> engine, "en", 0.5, new SimpleMeterRegistry());
            for (int i = 0; i < states; i++) {
                // The pool hands out states in turn, so this warms every state once.
                provider.transcribe(chunk("warm-up", i, pcm));
            }
            WorkerSettings settings = WorkerSettings.builder("bench-" + states, List.of("whisper"))
                    .loop(LoopSettings.builder().handlerThreads(states).reads(16, Duration.ofMillis(100)).build())
                    .build();
            try (StreamWorker worker = new StreamWorker(streams, provider, settings, new SimpleMeterRegistry())) {
                worker.start();
                long start = System.nanoTime();
                for (int seq = 0; seq < CHUNKS; seq++) {
                    streams.add(StreamKeys.audioStream("whisper"), AudioChunkCodec.encode(chunk("bench", seq, pcm)));
                }
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10))
                        .until(() -> streams.length(StreamKeys.HYPOTHESES) >= CHUNKS);
                Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                assertThat(streams.range(StreamKeys.HYPOTHESES, "-", "+", CHUNKS + 1)).hasSize(CHUNKS)
                        .allSatisfy(entry -> assertThat(HypothesisCodec.decode(entry.fields()).ok()).isTrue());
                return elapsed;
            }
        }
    }

    /**
     * Every recorded sentence back to back (8.2 s of espeak-ng speech), cut or padded with silence to
     * exactly {@code seconds}.
     */
    private static byte[] speech(double seconds) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        RecordedSpeech.sentences().forEach(sentence -> all.writeBytes(RecordedSpeech.pcm(sentence)));
        return Arrays.copyOf(all.toByteArray(), (int) (seconds * RecordedSpeech.SAMPLE_RATE) * 2);
    }

    private static AudioChunk chunk(String session, long seq, byte[] pcm) {
        return AudioChunk.builder().utterance(session, "bench-device", seq).audio(pcm).sampleRate(16000)
                .startMs(seq * 10_000).durationMs(pcm.length / 32).language("en").policy("balanced")
                .routeReason("benchmark").fallbackProviders(List.of()).enqueuedAtMillis(System.currentTimeMillis())
                .build();
    }

    private static void record(Duration elapsed, String path, int states, int threads, double seconds) {
        double wall = elapsed.toNanos() / 1e9;
        double chunksPerSecond = CHUNKS / wall;
        double rtf = wall / (CHUNKS * seconds);
        String row = String.format(Locale.ROOT, "| %s | %d x %d | %.0f s | %.2f | %.3f | %.0f | [load %.1f]", path,
                states, threads, seconds, chunksPerSecond, rtf, wall * 1000 / CHUNKS, loadAverage());
        rows.add(row);
        System.out.println(row);
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
