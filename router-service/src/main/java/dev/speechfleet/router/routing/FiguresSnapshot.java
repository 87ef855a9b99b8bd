package dev.speechfleet.router.routing;

import java.util.Map;
import java.util.Set;

/**
 * Figures of every provider from one background refresh; routing reads only this.
 *
 * @param providers     figures by provider
 * @param scaleFromZero providers that stay routable with no live consumer ({@code fleet.providers.scale-from-zero})
 * @param takenAtMillis when the refresh ran
 */
public record FiguresSnapshot(Map<String, ProviderFigures> providers, Set<String> scaleFromZero, long takenAtMillis) {

    public FiguresSnapshot {
        providers = Map.copyOf(providers);
        scaleFromZero = Set.copyOf(scaleFromZero);
    }

    public FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis) {
        this(providers, Set.of(), takenAtMillis);
    }

    public static FiguresSnapshot empty() {
        return new FiguresSnapshot(Map.of(), 0);
    }

    public ProviderFigures of(String provider) {
        return providers.getOrDefault(provider, ProviderFigures.absent(provider));
    }

    /**
     * May be chosen for an utterance: a live consumer and a closed breaker, or scale-from-zero with
     * no consumer yet (its lag wakes it) and no report of an open breaker.
     */
    public boolean routable(String provider) {
        ProviderFigures figures = of(provider);
        return figures.routable() || scaleFromZero.contains(provider) && !figures.circuitOpen();
    }

    /** May take a chunk at all, as a fallback: someone consumes it (whatever its breaker), or it is scale-from-zero. */
    public boolean acceptsWork(String provider) {
        return of(provider).liveConsumers() > 0 || scaleFromZero.contains(provider);
    }
}
