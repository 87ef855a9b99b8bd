package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5, Whisper: chunks per second and real-time factor of the Whisper consumer service
 * through the whole fleet (injected at the router, transcript on the device's socket) against bare
 * whisper-jni calls in a JVM of their own ({@link BareWhisperMain}) on the same audio (the first
 * 2.5 s of the device client's bundled recording), with the random-weight tiny.en model (tiny.en's
 * compute cost; its text is noise, so only speed can be measured); each with Whisper's full 30 s
 * encoder window and with the encoder context sized to the utterance ({@code whisper.audio-ctx=utterance},
 * floor {@code whisper.audio-ctx-floor}). 2 states x 1 thread everywhere, the service's default on 2 cores.
 *
 * <p>The four variants run in one interleaved run, as the machine drifts by 20 % within minutes: two
 * fleets (full window, sized) and the bare JVM are started and warmed once, then each round runs every
 * variant's turn of the same chunks, in the order fleet full, bare full, fleet sized, bare sized and
 * reversed in the next round (ABBA), so that drift weighs on all alike. The ratios fleet / bare and
 * sized / full are taken per round from that round's turns. Finally whisper.cpp's own timers
 * ({@link WhisperTimingsMain}) split a call into encoder and decoder and count its tokens, per mode, and
 * again with decoding stopped after {@code bench.max-tokens} tokens (a real transcript's length).
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=WhisperFleetBenchmarkTest} ({@code -Dbench.chunks} per turn, {@code -Dbench.rounds},
 * {@code -Dbench.utterance-ms}, {@code -Dbench.audio-ctx-floor}, {@code -Dbench.timing-calls},
 * {@code -Dbench.max-tokens}).
 */
@Tag("slow")
class WhisperFleetBenchmarkTest {

    private static final int CHUNKS = Integer.getInteger("bench.chunks", 8);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
    private static final int UTTERANCE_MS = Integer.getInteger("bench.utterance-ms", 2500);
    private static final int FLOOR = Integer.getInteger("bench.audio-ctx-floor", 256);
    private static final int TIMING_CALLS = Integer.getInteger("bench.timing-calls", 3);
    /** Tokens a real transcript of the utterance has (about 7 words in 2.5 s): the timers' capped decode. */
    private static final int REAL_TOKENS = Integer.getInteger("bench.max-tokens", 10);
    private static final int STATES = 2;
    private static final Path MODEL = BenchProcess.root().resolve("../shared/models/rand-tiny.en.bin").normalize();

    /** The four variants, in the order of an odd round. */
    enum Variant {
        FLEET_FULL("fleet, full window"), BARE_FULL("bare, full window"), FLEET_SIZED("fleet, sized"),
        BARE_SIZED("bare, sized");

        final String label;

        Variant(String label) {
            this.label = label;
        }
    }

    /**
     * One turn: {@link #CHUNKS} chunks from the first dispatch (or call) to the last result, and the CPU
     * time the turn's processes used meanwhile (the fleet's: Redis, router, aggregator, consumer; bare: its
     * JVM), which the machine's other work disturbs far less than the wall time.
     */
    record Turn(double seconds, double cpuSeconds, double loadBefore, double loadAfter) {

        double rate() {
            return CHUNKS / seconds;
        }

        double realTimeFactor() {
            return seconds / (CHUNKS * UTTERANCE_MS / 1000.0);
        }

        double cpuMsPerChunk() {
            return cpuSeconds * 1000 / CHUNKS;
        }
    }

    @Test
    void fleetAgainstBareWhisperJniInterleaved() throws Exception {
        assertThat(MODEL).as("the random-weight tiny.en model").isRegularFile();
        BenchReport report = new BenchReport("whisper");
        report.line("%s, %d chunks of %d ms recorded speech per turn, %d rounds of 4 turns (ABBA),"
                + " %d states x 1 thread, audio-ctx floor %d", MODEL.getFileName(), CHUNKS, UTTERANCE_MS, ROUNDS, STATES,
                FLOOR);
        Map<Variant, List<Turn>> turns = new EnumMap<>(Variant.class);
        byte[] speech = BenchAudio.recordedSpeech(UTTERANCE_MS);
        try (BenchFleet full = BenchFleet.start(setup("full")); BenchFleet sized = BenchFleet.start(setup("utterance"));
                BenchProcess bare = startBare()) {
            // Warms every state of each consumer and the pipeline's code, as the bare JVM warms its states.
            for (BenchFleet fleet : List.of(full, sized)) {
                InjectionRun.open(fleet, "whisper-warm", 4).inject(STATES * 2, 0, speech).finish(Duration.ofMinutes(5));
            }
            for (int round = 1; round <= ROUNDS; round++) {
                List<Variant> order = round % 2 == 1 ? List.of(Variant.values()) : List.of(Variant.values()).reversed();
                for (Variant variant : order) {
                    Turn turn = switch (variant) {
                        case FLEET_FULL -> fleetTurn(full, "full" + round, speech);
                        case FLEET_SIZED -> fleetTurn(sized, "sized" + round, speech);
                        case BARE_FULL -> bareTurn(bare, "full");
                        case BARE_SIZED -> bareTurn(bare, "sized");
                    };
                    turns.computeIfAbsent(variant, v -> new ArrayList<>()).add(turn);
                    report.line("round %d, %s: %.3f chunks/s, real-time factor %.3f, %.0f ms per chunk, CPU %.0f ms per"
                            + " chunk; load %.1f→%.1f", round, variant.label, turn.rate(), turn.realTimeFactor(),
                            turn.seconds() * 1000 / CHUNKS, turn.cpuMsPerChunk(), turn.loadBefore(), turn.loadAfter());
                }
            }
        }
        summarize(report, turns);
        timings(report);
    }

    private static void summarize(BenchReport report, Map<Variant, List<Turn>> turns) {
        for (Variant variant : Variant.values()) {
            List<Turn> own = turns.get(variant);
            report.line("%s: chunks/s min / median / max of %d turns %s; real-time factor %s; CPU ms per chunk %s",
                    variant.label, own.size(), Stats.spread(values(own, Turn::rate), 3),
                    Stats.spread(values(own, Turn::realTimeFactor), 3),
                    Stats.spread(values(own, Turn::cpuMsPerChunk), 0));
        }
        report.line("fleet / bare CPU per chunk, per round (min / median / max): full window %s, sized %s",
                ratios(turns, Variant.FLEET_FULL, Variant.BARE_FULL, Turn::cpuMsPerChunk),
                ratios(turns, Variant.FLEET_SIZED, Variant.BARE_SIZED, Turn::cpuMsPerChunk));
        report.line("fleet / bare chunks per second, per round (min / median / max; target ≥ 0.95): full window %s,"
                + " sized %s", ratios(turns, Variant.FLEET_FULL, Variant.BARE_FULL, Turn::rate),
                ratios(turns, Variant.FLEET_SIZED, Variant.BARE_SIZED, Turn::rate));
        report.line("sized / full window chunks per second, per round (min / median / max; target ≥ 2.5): fleet %s,"
                + " bare %s", ratios(turns, Variant.FLEET_SIZED, Variant.FLEET_FULL, Turn::rate),
                ratios(turns, Variant.BARE_SIZED, Variant.BARE_FULL, Turn::rate));
        double[] loads = turns.values().stream().flatMap(List::stream)
                .flatMapToDouble(t -> java.util.stream.DoubleStream.of(t.loadBefore(), t.loadAfter())).sorted()
                .toArray();
        report.line("load average over the run: %.1f to %.1f", loads[0], loads[loads.length - 1]);
    }

    private static List<Double> values(List<Turn> turns, ToDoubleFunction<Turn> figure) {
        return turns.stream().map(t -> figure.applyAsDouble(t)).toList();
    }

    /** {@code a}'s figure over {@code b}'s, round by round: "min / median / max". */
    private static String ratios(Map<Variant, List<Turn>> turns, Variant a, Variant b, ToDoubleFunction<Turn> figure) {
        List<Double> ratios = new ArrayList<>();
        for (int r = 0; r < turns.get(a).size(); r++) {
            ratios.add(figure.applyAsDouble(turns.get(a).get(r)) / figure.applyAsDouble(turns.get(b).get(r)));
        }
        return Stats.spread(ratios, 3);
    }

    private static BenchFleet.Setup setup(String audioCtx) {
        return BenchFleet.Setup.service("whisper", "consumer-whisper", Map.of("whisper.model.path", MODEL.toString(),
                "whisper.audio-ctx", audioCtx, "whisper.audio-ctx-floor", Integer.toString(FLOOR),
                "whisper.states", Integer.toString(STATES)));
    }

    private static Turn fleetTurn(BenchFleet fleet, String name, byte[] speech) throws Exception {
        InjectionRun.Result result = InjectionRun.open(fleet, "whisper-" + name, 4).inject(CHUNKS, 0, speech)
                .finish(Duration.ofMinutes(10));
        assertThat(result.delivery().lost()).as("chunks lost").isZero();
        assertThat(result.delivery().transcripts()).as("transcripts").isEqualTo(CHUNKS);
        // The devices' CPU is the load generator's, not the fleet's.
        long cpuMillis = result.cpuMillis().entrySet().stream().filter(e -> !e.getKey().startsWith("load"))
                .mapToLong(Map.Entry::getValue).sum();
        return new Turn(CHUNKS / result.throughput(), cpuMillis / 1000.0, result.loadBefore(), result.loadAfter());
    }

    private static BenchProcess startBare() throws Exception {
        BenchProcess bare = BenchProcess.main("bare-whisper", BareWhisperMain.class, Map.of("bench.model",
                MODEL.toString(), "bench.chunks", Integer.toString(CHUNKS), "bench.states", Integer.toString(STATES),
                "bench.threads", "1", "bench.audio-ctx-floor", Integer.toString(FLOOR), "bench.utterance-ms",
                Integer.toString(UTTERANCE_MS)));
        try {
            await(bare, l -> l.equals("READY"), 0);
            return bare;
        } catch (Exception | Error e) {
            bare.close();
            throw e;
        }
    }

    /** Has the bare JVM run one turn of {@code mode}; returns its time from its {@code TURN} line. */
    private static Turn bareTurn(BenchProcess bare, String mode) throws Exception {
        long done = Files.readAllLines(bare.log()).stream().filter(l -> l.startsWith("TURN ")).count();
        double loadBefore = Stats.load();
        CpuMeter cpu = new CpuMeter().add("bare", bare.pid()).start();
        bare.send(mode);
        String line = await(bare, l -> l.startsWith("TURN "), done);
        long cpuMillis = cpu.stop().get("bare");
        String[] f = line.split(" ");
        assertThat(f[1]).as("the bare JVM's turn").isEqualTo(mode);
        return new Turn(Long.parseLong(f[2]) / 1e9, cpuMillis / 1000.0, loadBefore, Stats.load());
    }

    /** Waits (at most 10 minutes) for the log line after the first {@code skip} that {@code match} accepts. */
    private static String await(BenchProcess process, java.util.function.Predicate<String> match, long skip)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            List<String> lines = Files.readAllLines(process.log()).stream().filter(match).toList();
            if (lines.size() > skip) {
                return lines.get((int) skip);
            }
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " died:\n" + Files.readString(process.log()));
            }
            assertThat(System.nanoTime()).as("%s answered in time", process.name()).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** whisper.cpp's own split of a call, full window and sized, one state, after the turns. */
    private static void timings(BenchReport report) throws Exception {
        try (BenchProcess timer = BenchProcess.main("whisper-timings", WhisperTimingsMain.class, Map.of(
                "bench.model", MODEL.toString(), "bench.calls", Integer.toString(TIMING_CALLS), "bench.threads", "1",
                "bench.audio-ctx-floor", Integer.toString(FLOOR), "bench.utterance-ms",
                Integer.toString(UTTERANCE_MS), "bench.max-tokens", Integer.toString(REAL_TOKENS)))) {
            double loadBefore = Stats.load();
            await(timer, l -> l.equals("DONE"), 0);
            for (String line : Files.readAllLines(timer.log())) {
                if (line.startsWith("TIMINGS ")) {
                    report.line("whisper.cpp timers per call (ms), one state alone, %s", line.substring(8));
                }
            }
            report.line("timers measured at load %.1f→%.1f", loadBefore, Stats.load());
        }
    }
}
