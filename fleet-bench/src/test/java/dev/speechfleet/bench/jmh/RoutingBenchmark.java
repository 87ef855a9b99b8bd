package dev.speechfleet.bench.jmh;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.router.routing.FiguresSnapshot;
import dev.speechfleet.router.routing.ProviderFigures;
import dev.speechfleet.router.routing.RouteChooser;
import dev.speechfleet.router.routing.RouteDecision;
import dev.speechfleet.router.routing.RoutingPolicy;
import dev.speechfleet.router.routing.RoutingWeights;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The routing decision of one utterance: four live providers, the router's default weights. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingBenchmark {

    @Param({"balanced", "latency"})
    public String policy;

    private RouteChooser chooser;
    private FiguresSnapshot figures;
    private RoutingPolicy routing;

    @Setup
    public void prepare() {
        List<String> order = List.of("whisper", "deepgram", "assemblyai", "parakeet");
        chooser = new RouteChooser(order, new RoutingWeights(0.4, 0.3, 0.2, 0.1, 2000));
        figures = new FiguresSnapshot(Map.of(
                "whisper", new ProviderFigures("whisper", 2, 14, 2, false, 1900, 2),
                "deepgram", new ProviderFigures("deepgram", 3, 0, 5, false, 420, 12),
                "assemblyai", new ProviderFigures("assemblyai", 1, 3, 4, false, 2600, 4),
                "parakeet", new ProviderFigures("parakeet", 2, 1, 3, false, 310, 8)), Set.of(),
                System.currentTimeMillis(), Map.of("whisper", ProviderCapabilities.UNRESTRICTED,
                        "deepgram", ProviderCapabilities.UNRESTRICTED, "assemblyai", ProviderCapabilities.UNRESTRICTED,
                        "parakeet", ProviderCapabilities.UNRESTRICTED));
        routing = RoutingPolicy.fromWire(policy).orElseThrow();
    }

    @Benchmark
    public RouteDecision single() {
        return chooser.single(routing, "en", 16000, figures);
    }
}
