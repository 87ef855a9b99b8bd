package dev.speechfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Scenario 6: the JMH benchmarks of {@code dev.speechfleet.bench.jmh} (entry codecs, VAD per frame,
 * ROVER per utterance, the routing decision), {@code bench.runs} forks each (the runs), with the
 * allocation profiler. Reports, per benchmark, the time per operation (min / median / max over the
 * forks) and the bytes allocated per operation.
 *
 * <p>{@code ./mvnw -B -pl fleet-bench -am verify -Pslow -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtest=HotPathsBenchmarkTest} ({@code -Dbench.jmh.include=Vad} to run some).
 */
@Tag("slow")
class HotPathsBenchmarkTest {

    @Test
    void hotPaths() throws Exception {
        int forks = Integer.getInteger("bench.runs", 3);
        Options options = new OptionsBuilder()
                .include("dev\\.speechfleet\\.bench\\.jmh\\..*" + System.getProperty("bench.jmh.include", ""))
                .forks(forks).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .addProfiler("gc").jvmArgsAppend("-Xmx512m").shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        BenchReport report = new BenchReport("hot-paths");
        report.line("JMH, %d forks x 5 s measured after 3 s of warm-up, load %.1f", forks, Stats.load());
        for (RunResult run : results) {
            List<Double> perFork = new ArrayList<>();
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                perFork.add(fork.getPrimaryResult().getScore());
            }
            Result<?> alloc = run.getSecondaryResults().getOrDefault("gc.alloc.rate.norm",
                    run.getSecondaryResults().get("·gc.alloc.rate.norm"));
            String params = run.getParams().getParamsKeys().stream().map(k -> k + "=" + run.getParams().getParam(k))
                    .reduce((a, b) -> a + "," + b).map(p -> " [" + p + "]").orElse("");
            report.line("%s%s: %s %s per op (min / median / max of %d forks), %s B allocated per op",
                    run.getParams().getBenchmark().replace("dev.speechfleet.bench.jmh.", ""), params,
                    Stats.spread(perFork, 2), run.getPrimaryResult().getScoreUnit().replace("/op", ""), perFork.size(),
                    alloc == null ? "?" : String.format(java.util.Locale.ROOT, "%.0f", alloc.getScore()));
        }
        assertThat(results).isNotEmpty();
    }
}
