package dev.speechfleet.router.routing;

import java.util.List;

/**
 * Where an utterance goes.
 *
 * @param providers the providers to enqueue it on: one in single mode, each of the consensus in consensus mode
 * @param fallbacks the fallback chain written on the entry (empty in consensus mode)
 * @param policy    the policy that decided: the session's in single mode, {@code consensus} in consensus mode
 * @param kind      why, in a few words (a metric tag)
 * @param reason    why, with the figures, for {@code route_reason}
 */
public record RouteDecision(List<String> providers, List<String> fallbacks, String policy, RouteReason kind,
        String reason) {

    public RouteDecision {
        providers = List.copyOf(providers);
        fallbacks = List.copyOf(fallbacks);
    }

    public String primary() {
        return providers.getFirst();
    }
}
