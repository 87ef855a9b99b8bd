package dev.speechfleet.router.routing;

import java.util.List;

/**
 * Keeps the providers that can serve an utterance: its language and its sample rate, by what the
 * providers' consumers published (ADR 0024). Applied before any policy, for the choice and for every
 * fallback, so that no utterance is ever queued where it must be refused.
 */
public final class CapabilityFilter {

    private CapabilityFilter() {
    }

    /** The providers of {@code candidates}, in their order, that serve {@code language} at {@code sampleRate}. */
    public static List<String> serving(List<String> candidates, String language, int sampleRate,
            FiguresSnapshot figures) {
        return candidates.stream().filter(p -> figures.capabilitiesOf(p).serves(language, sampleRate)).toList();
    }

    /** Whether any of {@code candidates} serves {@code language} at some sample rate. */
    public static boolean anyServesLanguage(List<String> candidates, String language, FiguresSnapshot figures) {
        return candidates.stream().anyMatch(p -> figures.capabilitiesOf(p).resolve(language).isPresent());
    }
}
