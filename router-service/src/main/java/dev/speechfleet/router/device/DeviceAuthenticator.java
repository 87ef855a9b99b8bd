package dev.speechfleet.router.device;

import dev.speechfleet.router.config.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a device's token against its stored hash, with a short in-process cache so that a burst of
 * reconnects does not become a burst of Redis reads. A revocation on this instance takes effect at
 * once; on other instances within {@code router.auth.cache-ttl}. Unknown ids are remembered as
 * unknown for the same time (a bounded negative cache), so that guessing ids does not cost a Redis
 * read per attempt; a device created on another instance can connect here within that time, one
 * created on this instance at once.
 */
@ApplicationScoped
public class DeviceAuthenticator {

    private record Cached(DeviceRecord device, long fetchedAtNanos) {
    }

    private final DeviceRegistry registry;
    private final long ttlNanos;
    private final int maxEntries;
    private final int maxUnknown;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** Ids read from Redis and not found, with when they were read. */
    private final Map<String, Long> unknown = new ConcurrentHashMap<>();

    DeviceAuthenticator(DeviceRegistry registry, RouterConfig config) {
        this.registry = registry;
        this.ttlNanos = config.auth().cacheTtl().toNanos();
        this.maxEntries = config.auth().cacheSize();
        this.maxUnknown = config.auth().unknownCacheSize();
    }

    /** The cached record when it is fresh, without touching Redis. */
    public Optional<DeviceRecord> cached(String deviceId) {
        Cached entry = cache.get(deviceId);
        if (entry == null || System.nanoTime() - entry.fetchedAtNanos() > ttlNanos) {
            return Optional.empty();
        }
        return Optional.of(entry.device());
    }

    /** Whether {@code deviceId} was read from Redis and not found within the cache TTL, without touching Redis. */
    public boolean knownUnknown(String deviceId) {
        Long readAt = unknown.get(deviceId);
        return readAt != null && System.nanoTime() - readAt <= ttlNanos;
    }

    /** The device's record, from the cache or Redis (blocking). */
    public Optional<DeviceRecord> lookup(String deviceId) {
        Optional<DeviceRecord> hit = cached(deviceId);
        if (hit.isPresent() || knownUnknown(deviceId)) {
            return hit;
        }
        Optional<DeviceRecord> found = registry.find(deviceId);
        found.ifPresentOrElse(this::remember, () -> rememberUnknown(deviceId));
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
        unknown.remove(deviceId);
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

    /** Bounded apart from known devices, so that a flood of guessed ids never evicts them. */
    private void rememberUnknown(String deviceId) {
        long now = System.nanoTime();
        if (unknown.size() >= maxUnknown) {
            unknown.values().removeIf(readAt -> now - readAt > ttlNanos);
            if (unknown.size() >= maxUnknown) {
                unknown.clear();
            }
        }
        unknown.put(deviceId, now);
    }
}
