package dev.speechfleet.router.routing;

import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderCatalog;
import java.util.Map;

/**
 * Figures of every provider from one background refresh; routing reads only this.
 *
 * @param providers     figures by provider
 * @param takenAtMillis when the refresh ran
 * @param capabilities  what each provider's consumers serve, as they published it (ADR 0006)
 */
public record FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis,
        Map<String, ProviderCapabilities> capabilities) {

    public FiguresSnapshot {
        providers = Map.copyOf(providers);
        capabilities = Map.copyOf(capabilities);
    }

    /** Figures without published capabilities: every provider is judged by its catalog default. */
    public FiguresSnapshot(Map<String, ProviderFigures> providers, long takenAtMillis) {
        this(providers, takenAtMillis, Map.of());
    }

    public static FiguresSnapshot empty() {
        return new FiguresSnapshot(Map.of(), 0);
    }

    public ProviderFigures of(String provider) {
        return providers.getOrDefault(provider, ProviderFigures.absent(provider));
    }

    /** What {@code provider} serves: as published, else the catalog's default configuration. */
    public ProviderCapabilities capabilitiesOf(String provider) {
        ProviderCapabilities published = capabilities.get(provider);
        return published != null ? published : ProviderCatalog.defaultCapabilities(provider);
    }
}
