package dev.speechfleet.router.routing;

import dev.speechfleet.router.config.RouterConfig;

/**
 * Weights of the balanced policy and the processing time assumed before a provider reports one.
 */
public record RoutingWeights(double latency, double accuracy, double cost, double queue, long defaultP95Ms) {

    public static RoutingWeights from(RouterConfig.Routing c) {
        return new RoutingWeights(c.weightLatency(), c.weightAccuracy(), c.weightCost(), c.weightQueue(),
                c.defaultP95Ms());
    }
}
