package dev.speechfleet.bench;

import java.util.Map;
import java.util.stream.Collectors;

/** Formats the cost side of a run: CPU per process and Redis commands per utterance. */
final class RunFigures {

    private RunFigures() {
    }

    /**
     * "router 812 µs (0.41 cores), …": CPU per dispatched utterance, and the share of a core the process
     * used from the first dispatch to the last result.
     */
    static String cpuPerUtterance(InjectionRun.Result r) {
        int n = r.dispatched().size();
        double seconds = n / r.throughput();
        return r.cpuMillis().entrySet().stream()
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.0f µs (%.2f cores)", e.getKey(),
                        e.getValue() * 1000.0 / n, e.getValue() / 1000.0 / seconds))
                .collect(Collectors.joining(", "));
    }

    /** "xadd 2.00, evalsha …" Redis commands per dispatched utterance, the most frequent first. */
    static String commandsPerUtterance(InjectionRun.Result r) {
        Map<String, Double> per = r.commandsPerUtterance();
        double total = per.values().stream().mapToDouble(Double::doubleValue).sum();
        return String.format(java.util.Locale.ROOT, "%.2f in all: ", total) + per.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .filter(e -> e.getValue() >= 0.005)
                .map(e -> String.format(java.util.Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
