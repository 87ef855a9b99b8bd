package dev.speechfleet.router.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.speechfleet.core.liveness.LivenessReader;
import dev.speechfleet.core.liveness.ProviderLiveness;
import dev.speechfleet.core.provider.CircuitState;
import dev.speechfleet.core.provider.ProviderCapabilities;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.provider.ProviderHealth;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamInfo;
import dev.speechfleet.core.stream.StreamKeys;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the live figures of providers from Redis: {@code XINFO GROUPS} on {@code audio:stream:{p}}
 * for lag and pending, who is live from fleet-core's {@link LivenessReader} ({@code XINFO
 * CONSUMERS} and the consumers' reports in {@code provider:health:{p}}, the same notion the workers'
 * failover and the sweeper use), and what the live consumers serve (or, when none is live,
 * {@code provider:capabilities:{p}}). At most four commands per provider, run only by the
 * background refresh.
 */
public final class FiguresReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisStreams redis;
    private final LivenessReader liveness;
    private final Set<String> scaleFromZero;

    public FiguresReader(RedisStreams redis, Duration liveIdle) {
        this(redis, liveIdle, Set.of());
    }

    /** @param scaleFromZero providers that stay routable with no live consumer */
    public FiguresReader(RedisStreams redis, Duration liveIdle, Set<String> scaleFromZero) {
        this.redis = redis;
        this.liveness = new LivenessReader(redis, liveIdle);
        this.scaleFromZero = Set.copyOf(scaleFromZero);
    }

    public FiguresSnapshot read(List<String> providers, long nowMillis) {
        Map<String, ProviderFigures> figures = new LinkedHashMap<>();
        Map<String, ProviderCapabilities> capabilities = new LinkedHashMap<>();
        for (String provider : providers) {
            ProviderLiveness live = liveness.read(provider, nowMillis);
            figures.put(provider, read(provider, live));
            capabilities(provider, live.freshReports()).ifPresent(c -> capabilities.put(provider, c));
        }
        return new FiguresSnapshot(figures, scaleFromZero, nowMillis, capabilities);
    }

    ProviderFigures read(String provider) {
        return read(provider, liveness.read(provider, System.currentTimeMillis()));
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

    private ProviderFigures read(String provider, ProviderLiveness now) {
        Optional<StreamInfo.Group> group = redis.groups(StreamKeys.audioStream(provider)).stream()
                .filter(g -> g.name().equals(StreamKeys.workerGroup(provider))).findFirst();
        if (group.isEmpty()) {
            return ProviderFigures.absent(provider);
        }
        List<ProviderHealth> reports = now.freshReports();
        int live = now.liveConsumers().size();
        boolean open = !reports.isEmpty() && reports.stream().noneMatch(r -> r.circuit() == CircuitState.CLOSED);
        long p95 = reports.stream().mapToLong(ProviderHealth::p95ProcessingMs).max().orElse(0);
        int concurrency = reports.isEmpty() ? live : reports.stream().mapToInt(r -> Math.max(1, r.concurrency())).sum();
        return new ProviderFigures(provider, live, Math.max(0, group.get().lag()), group.get().pending(), open, p95,
                live == 0 ? 0 : Math.max(1, concurrency));
    }
}
