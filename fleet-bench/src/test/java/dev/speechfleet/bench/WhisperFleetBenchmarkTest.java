package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5, Whisper: chunks per second and real-time factor of the Whisper consumer service
 * through the whole fleet (injected at the router, transcript on the device's socket) against bare
 * whisper-jni calls in a JVM of their own on the same audio (the first 2.5 s of the device client's bundled recording), with
 * the random-weight tiny.en model (tiny.en's compute cost; its text is noise, so only speed can be
 * measured). Both with Whisper's full 30 s encoder window and with {@code whisper.audio-ctx=utterance}
 * (the context sized to the utterance, floor {@code whisper.audio-ctx-floor}). 2 states x 1 thread,
 * the service's default on 2 cores.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=WhisperFleetBenchmarkTest} ({@code -Dbench.chunks}, {@code -Dbench.runs},
 * {@code -Dbench.utterance-ms}, {@code -Dbench.audio-ctx-floor}).
 */
@Tag("slow")
class WhisperFleetBenchmarkTest {

    private static final int CHUNKS = Integer.getInteger("bench.chunks", 8);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int UTTERANCE_MS = Integer.getInteger("bench.utterance-ms", 2500);
    private static final int FLOOR = Integer.getInteger("bench.audio-ctx-floor", 256);
    private static final int STATES = 2;
    private static final Path MODEL = BenchProcess.root().resolve("../shared/models/rand-tiny.en.bin").normalize();

    @Test
    void fleetAgainstBareWhisperJni() throws Exception {
        assertThat(MODEL).as("the random-weight tiny.en model").isRegularFile();
        BenchReport report = new BenchReport("whisper");
        report.line("%s, %d chunks of %d ms recorded speech per run, %d states x 1 thread, audio-ctx floor %d",
                MODEL.getFileName(), CHUNKS, UTTERANCE_MS, STATES, FLOOR);
        Map<String, Double> medians = new java.util.LinkedHashMap<>();
        for (String mode : List.of("full", "utterance")) {
            int floor = mode.equals("full") ? 0 : FLOOR;
            medians.put("bare " + mode, figures(report, "bare whisper-jni, " + mode, bare(floor)));
            medians.put("fleet " + mode, figures(report, "fleet, " + mode, fleet(mode)));
        }
        report.line("fleet / bare chunks per second (medians): full window %.3f, utterance-sized %.3f (target ≥ 0.95)",
                medians.get("fleet full") / medians.get("bare full"),
                medians.get("fleet utterance") / medians.get("bare utterance"));
        report.line("utterance-sized / full window chunks per second (medians): bare %.2f×, fleet %.2f× (target ≥ 2.5×)",
                medians.get("bare utterance") / medians.get("bare full"),
                medians.get("fleet utterance") / medians.get("fleet full"));
    }

    /** Reports each run and the spread; returns the median chunks per second. */
    private static double figures(BenchReport report, String path, List<double[]> runs) {
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            double seconds = runs.get(r)[0];
            double rate = CHUNKS / seconds;
            rates.add(rate);
            report.line("%s, run %d: %.2f chunks/s, real-time factor %.3f, %.0f ms per chunk; load %.1f", path, r + 1,
                    rate, seconds / (CHUNKS * UTTERANCE_MS / 1000.0), seconds * 1000 / CHUNKS, runs.get(r)[1]);
        }
        report.line("%s: chunks/s min / median / max of %d runs: %s", path, runs.size(), Stats.spread(rates, 2));
        return Stats.median(rates);
    }

    /** Runs of bare calls in a JVM of their own: {seconds, load average} per run. */
    private static List<double[]> bare(int floor) throws Exception {
        BenchProcess bare = BenchProcess.main("bare-whisper", BareWhisperMain.class, Map.of("bench.model",
                MODEL.toString(), "bench.chunks", Integer.toString(CHUNKS), "bench.rounds", Integer.toString(RUNS),
                "bench.states", Integer.toString(STATES), "bench.threads", "1", "bench.audio-ctx-floor",
                Integer.toString(floor), "bench.utterance-ms", Integer.toString(UTTERANCE_MS)));
        Path log = bare.log();
        List<double[]> runs = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        try {
            while (runs.size() < RUNS) {
                assertThat(System.nanoTime()).as("bare whisper finished in time").isLessThan(deadline);
                List<String> rounds = Files.readAllLines(log).stream().filter(l -> l.startsWith("ROUND ")).toList();
                while (runs.size() < rounds.size()) {
                    runs.add(new double[] {Long.parseLong(rounds.get(runs.size()).substring(6)) / 1e9, Stats.load()});
                }
                if (!bare.alive() && runs.size() < RUNS) {
                    throw new IllegalStateException("bare whisper died:\n" + Files.readString(log));
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        } finally {
            bare.close();
        }
        return runs;
    }

    /** Runs through the fleet with {@code whisper.audio-ctx=mode}: {seconds, load average} per run. */
    private static List<double[]> fleet(String mode) throws Exception {
        BenchFleet.Setup setup = BenchFleet.Setup.service("whisper", "consumer-whisper", Map.of(
                "whisper.model.path", MODEL.toString(), "whisper.audio-ctx", mode,
                "whisper.audio-ctx-floor", Integer.toString(FLOOR), "whisper.states", Integer.toString(STATES)));
        byte[] speech = BenchAudio.recordedSpeech(UTTERANCE_MS);
        List<double[]> runs = new ArrayList<>();
        try (BenchFleet fleet = BenchFleet.start(setup)) {
            // Warms every state of the consumer and the pipeline's code, as the bare run warms its states.
            InjectionRun.open(fleet, "whisper-warm", 4).inject(STATES * 2, 0, speech).finish(Duration.ofMinutes(5));
            for (int r = 1; r <= RUNS; r++) {
                InjectionRun.Result result = InjectionRun.open(fleet, "whisper-" + mode + r, 4)
                        .inject(CHUNKS, 0, speech).finish(Duration.ofMinutes(10));
                assertThat(result.delivery().lost()).as("chunks lost").isZero();
                assertThat(result.delivery().transcripts()).as("transcripts").isEqualTo(CHUNKS);
                runs.add(new double[] {CHUNKS / result.throughput(), result.loadAfter()});
            }
        }
        return runs;
    }
}
