package dev.speechfleet.router.routing;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderCatalog;
import java.util.Map;
import java.util.Set;

/**
 * Figures of every provider from one background refresh; routing reads only this.
 *
 * @param providers     figures by provider
 * @param scaleFromZero providers that stay routable with no live consumer ({@code fleet.providers.scale-from-zero})
 * @param takenAtMillis when the refresh ran
 * @param capabilities  what each provider's consumers serve, as they published it (ADR 0024)
 */
public record FiguresSnapshot(Map<String, ProviderFigures> providers, Set<String> scaleFromZero, long takenAtMillis,
        Map<String, ProviderCapabilities> capabilities) {

    public FiguresSnapshot {
        providers = Map.copyOf(providers);
        scaleFromZero = Set.copyOf(scaleFromZero);
        capabilities = Map.copyOf(capabilities);
    }

    /** Figures without scale-from-zero providers or published capabilities (catalog defaults). */
    public FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis) {
        this(providers, Set.of(), takenAtMillis, Map.of());
    }

    /** Figures with scale-from-zero providers, without published capabilities. */
    public FiguresSnapshot(Map<String, ProviderFigures> providers, Set<String> scaleFromZero, long takenAtMillis) {
        this(providers, scaleFromZero, takenAtMillis, Map.of());
    }

    /** Figures with published capabilities, no scale-from-zero providers. */
    public FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis,
            Map<String, ProviderCapabilities> capabilities) {
        this(providers, Set.of(), takenAtMillis, capabilities);
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

    /** What {@code provider} serves: as published, else the catalog's default configuration. */
    public ProviderCapabilities capabilitiesOf(String provider) {
        ProviderCapabilities published = capabilities.get(provider);
        return published != null ? published : ProviderCatalog.defaultCapabilities(provider);
    }
}
