package dev.speechfleet.router.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the live figures of providers from Redis: {@code XINFO GROUPS} and {@code XINFO CONSUMERS}
 * on {@code audio:stream:{p}}, and the consumers' reports in {@code provider:health:{p}} (reports
 * older than the live limit are ignored), with what the consumers serve (or, when none is live,
 * {@code provider:capabilities:{p}}). At most four commands per provider, run only by the background
 * refresh.
 */
public final class FiguresReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisStreams redis;
    private final Duration liveIdle;

    public FiguresReader(RedisStreams redis, Duration liveIdle) {
        this.redis = redis;
        this.liveIdle = liveIdle;
    }

    public FiguresSnapshot read(List<String> providers, long nowMillis) {
        Map<String, ProviderFigures> figures = new LinkedHashMap<>();
        Map<String, ProviderCapabilities> capabilities = new LinkedHashMap<>();
        for (String provider : providers) {
            List<ProviderHealth> reports = freshHealth(provider);
            figures.put(provider, read(provider, reports));
            capabilities(provider, reports).ifPresent(c -> capabilities.put(provider, c));
        }
        return new FiguresSnapshot(figures, nowMillis, capabilities);
    }

    ProviderFigures read(String provider) {
        return read(provider, freshHealth(provider));
    }

    private List<ProviderHealth> freshHealth(String provider) {
        long now = System.currentTimeMillis();
        return health(provider).stream().filter(r -> now - r.updatedAtMillis() <= liveIdle.toMillis()).toList();
    }

    /**
     * What the provider's live consumers all serve (a chunk on its stream may reach any of them); with
     * none live, what its last consumer left in {@code provider:capabilities:{p}}; else nothing known.
     * A live report without capabilities counts as the catalog default.
     */
    Optional<ProviderCapabilities> capabilities(String provider, List<ProviderHealth> freshReports) {
        if (!freshReports.isEmpty()) {
            return freshReports.stream()
                    .map(r -> r.capabilities().orElseGet(() -> ProviderCatalog.defaultCapabilities(provider)))
                    .reduce(ProviderCapabilities::intersect);
        }
        Response stored = redis.send(Request.cmd(Command.GET).arg(StreamKeys.providerCapabilities(provider)));
        if (stored == null) {
            return Optional.empty();
        }
        try {
            return ProviderCapabilities.readFrom(JSON.readTree(stored.toString()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private ProviderFigures read(String provider, List<ProviderHealth> reports) {
        String stream = StreamKeys.audioStream(provider);
        Optional<StreamInfo.Group> group = redis.groups(stream).stream()
                .filter(g -> g.name().equals(StreamKeys.workerGroup(provider))).findFirst();
        if (group.isEmpty()) {
            return ProviderFigures.absent(provider);
        }
        int live = liveConsumers(stream, group.get().name(), reports);
        boolean open = !reports.isEmpty() && reports.stream().noneMatch(r -> r.circuit() == CircuitState.CLOSED);
        long p95 = reports.stream().mapToLong(ProviderHealth::p95ProcessingMs).max().orElse(0);
        int concurrency = reports.isEmpty() ? live : reports.stream().mapToInt(r -> Math.max(1, r.concurrency())).sum();
        return new ProviderFigures(provider, live, Math.max(0, group.get().lag()), group.get().pending(), open, p95,
                live == 0 ? 0 : Math.max(1, concurrency));
    }

    /**
     * Consumers that touched the group recently, or reported health recently: Redis 7.0 lists a
     * consumer only once something was delivered to it or claimed by it, so a fresh worker on an idle
     * stream is known by its health report first.
     */
    private int liveConsumers(String stream, String group, List<ProviderHealth> freshReports) {
        Set<String> live = new HashSet<>();
        redis.consumers(stream, group).stream().filter(c -> c.idleMs() <= liveIdle.toMillis())
                .forEach(c -> live.add(c.name()));
        freshReports.forEach(r -> live.add(r.consumer()));
        return live.size();
    }

    private List<ProviderHealth> health(String provider) {
        Response reply = redis.send(Request.cmd(Command.HGETALL).arg(StreamKeys.providerHealth(provider)));
        List<String> values = new ArrayList<>();
        if (reply != null && reply.isMap()) {
            reply.getKeys().forEach(k -> values.add(reply.get(k).toString()));
        } else if (reply != null) {
            for (int i = 1; i < reply.size(); i += 2) {
                values.add(reply.get(i).toString());
            }
        }
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
