package dev.speechfleet.router.routing;

import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.stream.ChunkMode;
import dev.speechfleet.router.config.RouterConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Picks providers for an utterance from a {@link FiguresSnapshot}; pure computation, no Redis.
 * Candidates are the configured providers that serve the language and sample rate
 * ({@link CapabilityFilter}) and have a live consumer and a closed breaker, or are declared
 * scale-from-zero; ties go to the earlier provider of the configured order.
 */
@Singleton
public final class RouteChooser {

    private final List<String> order;
    private final RoutingWeights weights;

    public RouteChooser(List<String> order, RoutingWeights weights) {
        this.order = List.copyOf(order);
        this.weights = weights;
    }

    /** The router's chooser: the providers of {@code router.routing.providers}, in that order, and its weights. */
    @Inject
    RouteChooser(RouterConfig config) {
        this(config.routing().providers(), RoutingWeights.from(config.routing()));
    }

    /**
     * The same choice among the providers of the configured order that are also in {@code allowed} (a
     * device's providers): candidates and fallbacks alike, so failover never leaves them either.
     */
    public RouteChooser restrictedTo(java.util.Collection<String> allowed) {
        return new RouteChooser(order.stream().filter(allowed::contains).toList(), weights);
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

    /**
     * Single mode: the best candidate by {@code policy}; as fallbacks the other candidates by score,
     * then the providers serving the utterance that someone consumes (breaker open) or that are
     * scale-from-zero. A provider nobody consumes is never named: a chunk would park on it.
     */
    public RouteDecision single(RoutingPolicy policy, String language, int sampleRate, FiguresSnapshot figures) {
        List<String> serving = serving(language, sampleRate, figures);
        if (serving.isEmpty()) {
            throw new IllegalArgumentException("no provider serves language " + language + " at " + sampleRate + " Hz");
        }
        List<ProviderFigures> candidates = serving.stream().filter(figures::routable).map(figures::of).toList();
        if (candidates.isEmpty()) {
            return nothingRoutable(policy, serving, figures);
        }
        List<Scored> ranked = rank(policy, language, candidates);
        String primary = ranked.getFirst().figures().provider();
        List<String> fallbacks = new ArrayList<>();
        ranked.subList(1, ranked.size()).forEach(s -> fallbacks.add(s.figures().provider()));
        serving.stream().filter(p -> !fallbacks.contains(p) && !p.equals(primary) && figures.acceptsWork(p))
                .forEach(fallbacks::add);
        return new RouteDecision(List.of(primary), fallbacks, policy.wire(), RouteReason.RANKED,
                reason(policy, ranked));
    }

    /**
     * Nothing can take the utterance now: it is queued where a consumer may soon appear (a
     * scale-from-zero provider first, whose lag wakes it; else the start of the chain), with the
     * rest of the chain as fallbacks. If no consumer comes within the deadline, the stranded-entry
     * sweeper moves it to whichever of them is live by then, or ends it with an error result.
     */
    private static RouteDecision nothingRoutable(RoutingPolicy policy, List<String> serving, FiguresSnapshot figures) {
        String queueOn = serving.stream().filter(p -> figures.scaleFromZero().contains(p)).findFirst()
                .orElse(serving.getFirst());
        List<String> rest = serving.stream().filter(p -> !p.equals(queueOn)).toList();
        return new RouteDecision(List.of(queueOn), rest, policy.wire(), RouteReason.NO_LIVE_PROVIDER,
                "policy=" + policy.wire() + " no_live_provider queued_on=" + queueOn);
    }

    /**
     * Consensus mode: every requested provider that is routable (live, or scale-from-zero); when none
     * is, all requested, for the sweeper to end with error results if no consumer comes in time.
     */
    public RouteDecision consensus(List<String> requested, FiguresSnapshot figures) {
        return decideConsensus(requested, figures);
    }

    /**
     * Consensus mode over the requested providers that serve the utterance's language and rate (see
     * {@link #consensus(List, FiguresSnapshot)} for which of them are chosen).
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
        List<String> routable = requested.stream().filter(figures::routable).toList();
        List<String> targets = routable.isEmpty() ? requested : routable;
        String skipped = requested.stream().filter(p -> !targets.contains(p)).reduce((a, b) -> a + "," + b).orElse("");
        RouteReason kind = routable.isEmpty() ? RouteReason.NO_LIVE_PROVIDER
                : skipped.isEmpty() ? RouteReason.CONSENSUS : RouteReason.CONSENSUS_PARTIAL;
        return new RouteDecision(targets, List.of(), ChunkMode.CONSENSUS.wire(), kind, "policy=consensus providers=" + String.join(",", targets)
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
        StringBuilder reason = new StringBuilder(96).append("policy=").append(policy.wire()).append(" score=");
        appendFourDecimals(reason, best.score())
                .append(" est_latency_ms=").append(best.latencyMs())
                .append(" queued=").append(best.figures().queued())
                .append(" candidates=");
        for (int i = 0; i < ranked.size(); i++) {
            Scored s = ranked.get(i);
            reason.append(i == 0 ? "" : ",").append(s.figures().provider()).append(':');
            appendFourDecimals(reason, s.score());
        }
        return reason.toString();
    }

    /**
     * {@code %.4f} of a score without a {@link java.util.Formatter} (which cost a fifth of a routing
     * decision, once per utterance): the plain digits for the scores routing computes (non-negative,
     * below 10^9); anything else through the formatter.
     */
    static StringBuilder appendFourDecimals(StringBuilder out, double value) {
        if (!(value >= 0 && value < 1e9)) {
            return out.append(String.format(Locale.ROOT, "%.4f", value));
        }
        long scaled = Math.round(value * 10_000);
        long fraction = scaled % 10_000;
        out.append(scaled / 10_000).append('.');
        for (long digit = 1000; digit > fraction && digit > 1; digit /= 10) {
            out.append('0');
        }
        return out.append(fraction);
    }
}
