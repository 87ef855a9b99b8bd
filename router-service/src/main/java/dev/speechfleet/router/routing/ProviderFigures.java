package dev.speechfleet.router.routing;

/**
 * What the router knows about one provider at the last background refresh.
 *
 * @param provider      the provider
 * @param liveConsumers consumers of its group that interacted with it recently
 * @param lag           entries of its stream not yet delivered to the group (0 when unknown)
 * @param pending       entries delivered and not yet acknowledged
 * @param circuitOpen   every consumer that reported health says its breaker is not closed
 * @param p95Ms         highest recent p95 processing time the consumers reported, 0 when none reported
 * @param concurrency   chunks the live consumers process at once, summed (at least 1 when live)
 */
public record ProviderFigures(String provider, int liveConsumers, long lag, long pending, boolean circuitOpen,
        long p95Ms, int concurrency) {

    /** Routable: someone is consuming and the breaker lets calls through. */
    public boolean routable() {
        return liveConsumers > 0 && !circuitOpen;
    }

    /** Entries waiting in front of a new one. */
    public long queued() {
        return lag + pending;
    }

    /** A provider nobody consumes. */
    public static ProviderFigures absent(String provider) {
        return new ProviderFigures(provider, 0, 0, 0, false, 0, 0);
    }
}
