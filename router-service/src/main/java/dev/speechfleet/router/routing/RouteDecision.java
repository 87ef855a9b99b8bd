package dev.speechfleet.router.routing;

import java.util.List;

/**
 * Where an utterance goes.
 *
 * @param providers the providers to enqueue it on: one in single mode, each of the consensus in consensus mode
 * @param fallbacks the fallback chain written on the entry (empty in consensus mode)
 * @param reason    why, for {@code route_reason}
 */
public record RouteDecision(List<String> providers, List<String> fallbacks, String reason) {

    public RouteDecision {
        providers = List.copyOf(providers);
        fallbacks = List.copyOf(fallbacks);
    }

    public String primary() {
        return providers.getFirst();
    }
}
