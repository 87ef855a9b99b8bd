package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Before and after of an optimisation, in one interleaved run: turn about (order ABBA, so a machine
 * that drifts during the run weighs on both alike), a fresh fleet running a copy of an earlier build
 * ({@code -Dbench.base}: a directory holding the modules' {@code target/} directories of that build)
 * or this tree is started, warmed up with a closed-loop run, then measured: scenario 1 (closed loop)
 * and scenario 2 at {@code bench.rate} (open loop).
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=BuildComparisonBenchmarkTest -Dbench.base=/path/to/copy} ({@code -Dbench.utterances},
 * {@code -Dbench.rate}, {@code -Dbench.seconds}, {@code -Dbench.runs}).
 */
@Tag("slow")
class BuildComparisonBenchmarkTest {

    private static final int UTTERANCES = Integer.getInteger("bench.utterances", 10_000);
    private static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "1000"));
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final int DEVICES = 50;

    @Test
    void earlierBuildAgainstThisTree() throws Exception {
        Path base = Path.of(System.getProperty("bench.base", "")).toAbsolutePath();
        assertThat(Files.isRegularFile(base.resolve("fleet-bench-router/target/quarkus-app/quarkus-run.jar")))
                .as("-Dbench.base=%s holds a packaged build", base).isTrue();
        BenchReport report = new BenchReport("build-comparison");
        report.line("before = %s, after = this tree; per turn: %d utterances closed loop, then %d s open loop at %.0f/s;"
                + " 100 ms utterances over %d sessions, instant provider (0 ms), 1 router, 1 worker (concurrency 16),"
                + " 1 aggregator; turns ABBA", base, UTTERANCES, SECONDS, RATE, DEVICES);
        byte[] utterance = BenchAudio.utterance(100);
        Map<String, Path> builds = new LinkedHashMap<>();
        builds.put("before", base);
        builds.put("after", BenchProcess.root());
        Map<String, List<Double>> throughput = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        builds.keySet().forEach(name -> {
            throughput.put(name, new ArrayList<>());
            p99.put(name, new ArrayList<>());
        });
        List<String> order = List.copyOf(builds.keySet());
        for (int r = 1; r <= RUNS; r++) {
            for (String name : r % 2 == 1 ? order : order.reversed()) {
                // A fresh fleet per turn, warmed up first: no turn inherits another's state.
                try (BenchFleet fleet = BenchFleet.start(BenchFleet.Setup.instant(), builds.get(name))) {
                    closedLoop(fleet, name + "-warm" + r);
                    measure(report, name, r, fleet, throughput.get(name), p99.get(name), utterance);
                }
            }
        }
        for (String name : throughput.keySet()) {
            report.line("%s: throughput (utterances/s, min / median / max of %d) %s; overhead p99 at %.0f/s (ms) %s",
                    name, RUNS, Stats.spread(throughput.get(name), 0), RATE, Stats.spread(p99.get(name), 1));
        }
    }

    private static void measure(BenchReport report, String name, int run, BenchFleet fleet, List<Double> throughputs,
            List<Double> p99s, byte[] utterance) throws Exception {
        InjectionRun.Result tp = closedLoop(fleet, name + "-tp" + run);
        report.line("%s run %d: %.0f utterances/s end to end; %s; load %.1f→%.1f", name, run, tp.throughput(),
                tp.delivery(), tp.loadBefore(), tp.loadAfter());
        report.line("  CPU per utterance: %s", RunFigures.cpuPerUtterance(tp));
        report.line("  Redis commands per utterance: %s", RunFigures.commandsPerUtterance(tp));
        InjectionRun.Result lat = InjectionRun.open(fleet, name + "-lat" + run, DEVICES)
                .inject((int) (RATE * SECONDS), RATE, utterance).finish(Duration.ofSeconds(120 + SECONDS * 4L));
        double[] overhead = lat.overheadsMs(0);
        report.line("%s run %d at %.0f/s: overhead p50 %.1f ms, p95 %.1f ms, p99 %.1f ms; delivered %.0f/s; %s;"
                + " load %.1f→%.1f", name, run, RATE, Stats.percentile(overhead, 50), Stats.percentile(overhead, 95),
                Stats.percentile(overhead, 99), lat.throughput(), lat.delivery(), lat.loadBefore(), lat.loadAfter());
        for (InjectionRun.Result result : List.of(tp, lat)) {
            assertThat(result.delivery().lost()).as("%s run %d: utterances lost", name, run).isZero();
            assertThat(result.delivery().problems()).as("%s run %d: delivery problems", name, run).isEmpty();
        }
        throughputs.add(tp.throughput());
        p99s.add(Stats.percentile(overhead, 99));
    }

    private static InjectionRun.Result closedLoop(BenchFleet fleet, String name) throws Exception {
        return InjectionRun.open(fleet, name, DEVICES).inject(UTTERANCES, 0, BenchAudio.utterance(100))
                .finish(Duration.ofSeconds(Math.max(120, UTTERANCES / 100)));
    }
}
