package dev.speechfleet.core.liveness;

import dev.speechfleet.core.provider.ProviderHealth;
import java.util.List;
import java.util.Set;

/**
 * Who consumes a provider's stream right now, as read from Redis.
 *
 * @param provider      the provider
 * @param liveConsumers consumers that touched the group, or reported health, within the live limit
 *                      (never a sweeper)
 * @param freshReports  the health reports within the live limit
 */
public record ProviderLiveness(String provider, Set<String> liveConsumers, List<ProviderHealth> freshReports) {

    public ProviderLiveness {
        liveConsumers = Set.copyOf(liveConsumers);
        freshReports = List.copyOf(freshReports);
    }

    /** At least one consumer is live. */
    public boolean live() {
        return !liveConsumers.isEmpty();
    }

    /** Nobody consumes the provider. */
    public static ProviderLiveness none(String provider) {
        return new ProviderLiveness(provider, Set.of(), List.of());
    }
}
