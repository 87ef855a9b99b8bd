package dev.speechfleet.router.device;

import dev.speechfleet.router.config.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a device's token against its stored hash, with a short in-process cache so that a burst of
 * reconnects does not become a burst of Redis reads. A revocation on this instance takes effect at
 * once; on other instances within {@code router.auth.cache-ttl}.
 */
@ApplicationScoped
public class DeviceAuthenticator {

    private record Cached(DeviceRecord device, long fetchedAtNanos) {
    }

    private final DeviceRegistry registry;
    private final long ttlNanos;
    private final int maxEntries;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    DeviceAuthenticator(DeviceRegistry registry, RouterConfig config) {
        this.registry = registry;
        this.ttlNanos = config.auth().cacheTtl().toNanos();
        this.maxEntries = config.auth().cacheSize();
    }

    /** The cached record when it is fresh, without touching Redis. */
    public Optional<DeviceRecord> cached(String deviceId) {
        Cached entry = cache.get(deviceId);
        if (entry == null || System.nanoTime() - entry.fetchedAtNanos() > ttlNanos) {
            return Optional.empty();
        }
        return Optional.of(entry.device());
    }

    /** The device's record, from the cache or Redis (blocking). Unknown devices are not cached. */
    public Optional<DeviceRecord> lookup(String deviceId) {
        Optional<DeviceRecord> hit = cached(deviceId);
        if (hit.isPresent()) {
            return hit;
        }
        Optional<DeviceRecord> found = registry.find(deviceId);
        found.ifPresent(this::remember);
        return found;
    }

    /** The device when {@code token} is its current token; blocking on a cache miss. */
    public Optional<DeviceRecord> authenticate(String deviceId, String token) {
        if (!DeviceTokens.isValidDeviceId(deviceId) || token == null || token.isEmpty()) {
            return Optional.empty();
        }
        return lookup(deviceId).filter(d -> d.accepts(token));
    }

    /** Forgets a device after an admin change, so this instance sees it at once. */
    public void invalidate(String deviceId) {
        cache.remove(deviceId);
    }

    private void remember(DeviceRecord device) {
        if (cache.size() >= maxEntries) {
            long now = System.nanoTime();
            cache.values().removeIf(c -> now - c.fetchedAtNanos() > ttlNanos);
            if (cache.size() >= maxEntries) {
                cache.clear();
            }
        }
        cache.put(device.deviceId(), new Cached(device, System.nanoTime()));
    }
}
