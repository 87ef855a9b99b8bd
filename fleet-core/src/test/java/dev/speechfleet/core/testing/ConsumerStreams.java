package dev.speechfleet.core.testing;

import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.AudioChunk;
import dev.speechfleet.core.stream.AudioChunkCodec;
import dev.speechfleet.core.stream.FailureEvent;
import dev.speechfleet.core.stream.Hypothesis;
import dev.speechfleet.core.stream.HypothesisCodec;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * What a provider consumer's tests read and write on real Redis: chunks enqueued for a provider, and
 * the hypotheses, re-routes, failures and health it produced, filtered by session so that tests
 * sharing one Redis and one running worker do not see each other's entries.
 */
public final class ConsumerStreams {

    private static final int MAX_READ = 10_000;

    private final RedisStreams redis;

    public ConsumerStreams(RedisStreams redis) {
        this.redis = redis;
    }

    /** XADDs the chunk to {@code audio:stream:{provider}}. */
    public void enqueue(String provider, AudioChunk chunk) {
        redis.add(StreamKeys.audioStream(provider), AudioChunkCodec.encode(chunk));
    }

    public List<Hypothesis> hypotheses(String sessionId) {
        List<Hypothesis> found = new ArrayList<>();
        for (StreamEntry entry : redis.range(StreamKeys.HYPOTHESES, "-", "+", MAX_READ)) {
            Hypothesis h = HypothesisCodec.decode(entry.fields());
            if (h.sessionId().equals(sessionId)) {
                found.add(h);
            }
        }
        return found;
    }

    /** Entries of a session waiting on {@code audio:stream:{provider}} (e.g. re-routed there). */
    public List<AudioChunk> queued(String provider, String sessionId) {
        List<AudioChunk> found = new ArrayList<>();
        for (StreamEntry entry : redis.range(StreamKeys.audioStream(provider), "-", "+", MAX_READ)) {
            AudioChunk chunk = AudioChunkCodec.decode(entry.fields());
            if (chunk.sessionId().equals(sessionId)) {
                found.add(chunk);
            }
        }
        return found;
    }

    public List<FailureEvent> failures(String sessionId) {
        List<FailureEvent> found = new ArrayList<>();
        for (StreamEntry entry : redis.range(StreamKeys.FAILURES, "-", "+", MAX_READ)) {
            FailureEvent event = FailureEvent.decode(entry.fields());
            if (event.sessionId().equals(sessionId)) {
                found.add(event);
            }
        }
        return found;
    }

    /** Every consumer's report in {@code provider:health:{provider}}. */
    public List<ProviderHealth> health(String provider) {
        Response all = redis.send(Request.cmd(Command.HGETALL).arg(StreamKeys.providerHealth(provider)));
        List<ProviderHealth> reports = new ArrayList<>();
        if (all == null) {
            return reports;
        }
        if (all.isMap()) {
            for (String field : all.getKeys()) {
                reports.add(ProviderHealth.fromJson(all.get(field).toString()));
            }
            return reports;
        }
        for (int i = 1; i < all.size(); i += 2) {
            reports.add(ProviderHealth.fromJson(all.get(i).toString()));
        }
        return reports;
    }

    /** Entries of the provider's group that are delivered but not yet acknowledged. */
    public long pending(String provider) {
        return redis.pendingSummary(StreamKeys.audioStream(provider), StreamKeys.workerGroup(provider)).count();
    }
}
