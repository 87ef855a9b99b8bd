package dev.speechfleet.router.routing;

import java.util.Map;

/**
 * Figures of every provider from one background refresh; routing reads only this.
 *
 * @param providers     figures by provider
 * @param takenAtMillis when the refresh ran
 */
public record FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis) {

    public FiguresSnapshot {
        providers = Map.copyOf(providers);
    }

    public static FiguresSnapshot empty() {
        return new FiguresSnapshot(Map.of(), 0);
    }

    public ProviderFigures of(String provider) {
        return providers.getOrDefault(provider, ProviderFigures.absent(provider));
    }
}
