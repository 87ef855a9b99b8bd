package dev.speechfleet.core.liveness;

import dev.speechfleet.core.redis.RedisStreams;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Which providers may be given work: those with a live consumer ({@link LivenessReader}) and those
 * declared scale-from-zero ({@code fleet.providers.scale-from-zero}), which stay routable with no
 * consumer so that their lag wakes them (KEDA). Refreshed by whoever owns it, at most once per
 * interval however many workers share it; asking never touches Redis.
 *
 * <p>Until a first refresh succeeds nothing is known, and every provider is accepted (as before this
 * view existed): the stranded-entry sweeper still moves what lands on a stream nobody consumes.
 */
public final class ProviderAvailability implements LivenessView {

    private static final Logger LOG = Logger.getLogger(ProviderAvailability.class);

    private final LivenessReader reader;
    private final Set<String> tracked;
    private final Set<String> scaleFromZero;
    private final Clock clock;
    private final AtomicLong lastAttemptMillis = new AtomicLong(Long.MIN_VALUE);
    private volatile Map<String, Boolean> live;
    private volatile long refreshedAtMillis;

    /**
     * @param tracked       the providers whose liveness is read (every provider the fleet may route to)
     * @param scaleFromZero providers that stay routable without a consumer
     */
    public ProviderAvailability(RedisStreams redis, Duration liveIdle, Iterable<String> tracked,
            Set<String> scaleFromZero, Clock clock) {
        this.reader = new LivenessReader(redis, liveIdle);
        Set<String> all = new LinkedHashSet<>();
        tracked.forEach(all::add);
        all.addAll(scaleFromZero);
        this.tracked = Set.copyOf(all);
        this.scaleFromZero = Set.copyOf(scaleFromZero);
        this.clock = clock;
    }

    /** Whether a chunk may be sent to {@code provider}: scale-from-zero, live, or nothing known yet. */
    public boolean accepts(String provider) {
        Map<String, Boolean> known = live;
        return scaleFromZero.contains(provider) || known == null || known.getOrDefault(provider, false);
    }

    @Override
    public boolean current() {
        return live != null && clock.millis() - refreshedAtMillis <= reader.liveIdle().toMillis();
    }

    @Override
    public boolean hasLiveConsumer(String provider) {
        Map<String, Boolean> known = live;
        return known != null && known.getOrDefault(provider, false);
    }

    public Set<String> scaleFromZero() {
        return scaleFromZero;
    }

    /** Reads liveness now unless someone did within {@code interval}; failures keep the last view. */
    public void refreshIfOlderThan(Duration interval) {
        long now = clock.millis();
        long last = lastAttemptMillis.get();
        if (last != Long.MIN_VALUE && now - last < interval.toMillis()) {
            return;
        }
        if (lastAttemptMillis.compareAndSet(last, now)) {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warnf("reading which providers are live failed, keeping the last view: %s", e.getMessage());
            }
        }
    }

    /** Reads liveness now (blocking). */
    public void refresh() {
        long now = clock.millis();
        Map<String, Boolean> fresh = new HashMap<>();
        for (String provider : tracked) {
            fresh.put(provider, reader.read(provider, now).live());
        }
        live = Map.copyOf(fresh);
        refreshedAtMillis = now;
    }

    /** Providers with a live consumer at the last refresh, for logs and tests. */
    public List<String> liveProviders() {
        Map<String, Boolean> known = live;
        return known == null ? List.of() : known.entrySet().stream().filter(Map.Entry::getValue)
                .map(Map.Entry::getKey).sorted().toList();
    }
}
