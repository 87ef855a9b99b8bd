package dev.speechfleet.bench.jmh;

import dev.speechfleet.aggregator.rover.Ballot;
import dev.speechfleet.aggregator.rover.Rover;
import dev.speechfleet.aggregator.rover.RoverResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** ROVER per consensus utterance: three hypotheses of 13 words with a substitution, a deletion and an insertion. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoverBenchmark {

    private Rover rover;
    private List<Ballot> ballots;

    @Setup
    public void prepare() {
        rover = new Rover(0.7, 0.6);
        ballots = List.of(
                Ballot.ofText("deepgram", "please set a timer for ten minutes and then turn on the kitchen lights", 0.93),
                Ballot.ofText("parakeet", "please set the timer for ten minutes and turn on the kitchen lights", 0.88),
                Ballot.ofText("whisper", "please set a timer for ten minutes and then turn on all the kitchen lights",
                        0.71));
    }

    @Benchmark
    public RoverResult combine() {
        return rover.combine(ballots);
    }
}
