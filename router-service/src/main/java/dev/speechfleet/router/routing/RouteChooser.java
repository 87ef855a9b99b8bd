package dev.speechfleet.router.routing;

import dev.speechfleet.core.provider.ProviderCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Picks providers for an utterance from a {@link FiguresSnapshot}; pure computation, no Redis.
 * Candidates are the configured providers that serve the language and sample rate
 * ({@link CapabilityFilter}), have a live consumer and a closed breaker; ties go to the earlier
 * provider of the configured order.
 */
public final class RouteChooser {

    private final List<String> order;
    private final RoutingWeights weights;

    public RouteChooser(List<String> order, RoutingWeights weights) {
        this.order = List.copyOf(order);
        this.weights = weights;
    }

    /** Providers of the configured order that serve {@code language} at {@code sampleRate}. */
    public List<String> serving(String language, int sampleRate, FiguresSnapshot figures) {
        return CapabilityFilter.serving(order, language, sampleRate, figures);
    }

    /** Providers of the configured order that serve {@code language} at some sample rate. */
    public boolean servesLanguage(String language, FiguresSnapshot figures) {
        return CapabilityFilter.anyServesLanguage(order, language, figures);
    }

    /** {@link #single(RoutingPolicy, String, int, FiguresSnapshot)} of 16 kHz audio, the protocol's default. */
    public RouteDecision single(RoutingPolicy policy, String language, FiguresSnapshot figures) {
        return single(policy, language, 16000, figures);
    }

    /** Single mode: the best candidate by {@code policy}, the others (then the non-live ones) as fallbacks. */
    public RouteDecision single(RoutingPolicy policy, String language, int sampleRate, FiguresSnapshot figures) {
        List<String> serving = serving(language, sampleRate, figures);
        if (serving.isEmpty()) {
            throw new IllegalArgumentException("no provider serves language " + language + " at " + sampleRate + " Hz");
        }
        List<ProviderFigures> live = serving.stream().map(figures::of).filter(ProviderFigures::routable).toList();
        if (live.isEmpty()) {
            // Nothing live: queue where the chain starts, so the utterance waits for a consumer instead of being lost.
            return new RouteDecision(List.of(serving.getFirst()), serving.subList(1, serving.size()),
                    "policy=" + policy.wire() + " no_live_provider queued_on=" + serving.getFirst());
        }
        List<Scored> ranked = rank(policy, language, live);
        List<String> fallbacks = new ArrayList<>();
        ranked.subList(1, ranked.size()).forEach(s -> fallbacks.add(s.figures().provider()));
        serving.stream().filter(p -> !fallbacks.contains(p) && !p.equals(ranked.getFirst().figures().provider()))
                .forEach(fallbacks::add);
        return new RouteDecision(List.of(ranked.getFirst().figures().provider()), fallbacks,
                reason(policy, ranked));
    }

    /** {@link #consensus(List, String, int, FiguresSnapshot)} without a capability check (every provider serves). */
    public RouteDecision consensus(List<String> requested, FiguresSnapshot figures) {
        return decideConsensus(requested, figures);
    }

    /**
     * Consensus mode: every requested provider that serves the utterance and is routable, or every
     * requested one that serves it when none is routable.
     */
    public RouteDecision consensus(List<String> requested, String language, int sampleRate, FiguresSnapshot figures) {
        List<String> serving = CapabilityFilter.serving(requested, language, sampleRate, figures);
        if (serving.isEmpty()) {
            throw new IllegalArgumentException("no provider of the consensus serves language " + language + " at "
                    + sampleRate + " Hz");
        }
        return decideConsensus(serving, figures);
    }

    private RouteDecision decideConsensus(List<String> requested, FiguresSnapshot figures) {
        List<String> routable = requested.stream().filter(p -> figures.of(p).routable()).toList();
        List<String> targets = routable.isEmpty() ? requested : routable;
        String skipped = requested.stream().filter(p -> !targets.contains(p)).reduce((a, b) -> a + "," + b).orElse("");
        return new RouteDecision(targets, List.of(), "policy=consensus providers=" + String.join(",", targets)
                + (skipped.isEmpty() ? "" : " skipped_not_live=" + skipped)
                + (routable.isEmpty() ? " no_live_provider" : ""));
    }

    private record Scored(ProviderFigures figures, double score, long latencyMs) {
    }

    private List<Scored> rank(RoutingPolicy policy, String language, List<ProviderFigures> live) {
        ToDoubleFunction<ProviderFigures> score = switch (policy) {
            case LATENCY -> this::latencyMs;
            case ACCURACY -> f -> wer(f.provider());
            case COST -> f -> price(f.provider(), language);
            case QUEUE -> ProviderFigures::queued;
            case BALANCED -> balanced(language, live);
        };
        return live.stream().map(f -> new Scored(f, score.applyAsDouble(f), (long) latencyMs(f)))
                .sorted(Comparator.comparingDouble(Scored::score)
                        .thenComparingInt(s -> order.indexOf(s.figures().provider())))
                .toList();
    }

    /** Recent p95 plus the wait behind what is queued, spread over the consumers' concurrency. */
    double latencyMs(ProviderFigures f) {
        long p95 = f.p95Ms() > 0 ? f.p95Ms() : weights.defaultP95Ms();
        return p95 + (double) f.queued() * p95 / Math.max(1, f.concurrency());
    }

    private ToDoubleFunction<ProviderFigures> balanced(String language, List<ProviderFigures> live) {
        double maxLatency = max(live, this::latencyMs);
        double maxWer = max(live, f -> wer(f.provider()));
        double maxPrice = max(live, f -> price(f.provider(), language));
        double maxQueue = max(live, ProviderFigures::queued);
        return f -> weights.latency() * ratio(latencyMs(f), maxLatency)
                + weights.accuracy() * ratio(wer(f.provider()), maxWer)
                + weights.cost() * ratio(price(f.provider(), language), maxPrice)
                + weights.queue() * ratio(f.queued(), maxQueue);
    }

    private static double max(List<ProviderFigures> live, ToDoubleFunction<ProviderFigures> metric) {
        return live.stream().mapToDouble(metric).max().orElse(0);
    }

    private static double ratio(double value, double max) {
        return max <= 0 ? 0 : value / max;
    }

    private static double wer(String provider) {
        return ProviderCatalog.find(provider).map(ProviderCatalog.Entry::catalogWer).orElse(1.0);
    }

    private static double price(String provider, String language) {
        return ProviderCatalog.find(provider).map(e -> e.priceFor(language)).orElse(Double.MAX_VALUE);
    }

    private static String reason(RoutingPolicy policy, List<Scored> ranked) {
        Scored best = ranked.getFirst();
        StringBuilder reason = new StringBuilder("policy=").append(policy.wire())
                .append(" score=").append(String.format(Locale.ROOT, "%.4f", best.score()))
                .append(" est_latency_ms=").append(best.latencyMs())
                .append(" queued=").append(best.figures().queued())
                .append(" candidates=");
        for (int i = 0; i < ranked.size(); i++) {
            Scored s = ranked.get(i);
            reason.append(i == 0 ? "" : ",").append(s.figures().provider()).append(':')
                    .append(String.format(Locale.ROOT, "%.4f", s.score()));
        }
        return reason.toString();
    }
}
