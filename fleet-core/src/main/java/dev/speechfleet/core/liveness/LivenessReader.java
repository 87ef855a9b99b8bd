package dev.speechfleet.core.liveness;

import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisCommandException;
import dev.speechfleet.core.redis.RedisHashes;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.worker.ConsumerNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fleet's one notion of a live consumer (ADR 0008): a consumer of group {@code {p}_workers} that
 * {@code XINFO CONSUMERS} shows idle at most the live limit, or that published a health report in
 * {@code provider:health:{p}} within it. Sweepers read provider groups too, but never count. Two
 * commands per provider; callers read it in the background, never per chunk.
 */
public final class LivenessReader {

    private final RedisStreams redis;
    private final Duration liveIdle;

    public LivenessReader(RedisStreams redis, Duration liveIdle) {
        this.redis = redis;
        this.liveIdle = liveIdle;
    }

    public Duration liveIdle() {
        return liveIdle;
    }

    /** Who consumes {@code provider} now; {@code nowMillis} dates the health reports. */
    public ProviderLiveness read(String provider, long nowMillis) {
        List<ProviderHealth> fresh = health(provider).stream()
                .filter(r -> nowMillis - r.updatedAtMillis() <= liveIdle.toMillis()).toList();
        Set<String> live = new HashSet<>(activeConsumers(provider));
        fresh.forEach(r -> live.add(r.consumer()));
        return new ProviderLiveness(provider, live, fresh);
    }

    /**
     * Consumers that touched the group recently: Redis 7.0 lists a consumer only once something was
     * delivered to or claimed by it (or it registered), so a quiet worker is known by its report.
     */
    private List<String> activeConsumers(String provider) {
        try {
            return redis.consumers(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).stream()
                    .filter(c -> c.idleMs() <= liveIdle.toMillis() && !ConsumerNames.isSweeper(c.name()))
                    .map(c -> c.name()).toList();
        } catch (RedisCommandException e) {
            if (e.getMessage() != null && (e.getMessage().contains("no such key") || e.getMessage().startsWith("NOGROUP"))) {
                return List.of();
            }
            throw e;
        }
    }

    private List<ProviderHealth> health(String provider) {
        Collection<String> values = RedisHashes.getAll(redis, StreamKeys.providerHealth(provider)).values();
        List<ProviderHealth> reports = new ArrayList<>(values.size());
        for (String json : values) {
            try {
                reports.add(ProviderHealth.fromJson(json));
            } catch (MalformedEntryException e) {
                // One consumer's unreadable report must not hide the others.
            }
        }
        return reports;
    }
}
