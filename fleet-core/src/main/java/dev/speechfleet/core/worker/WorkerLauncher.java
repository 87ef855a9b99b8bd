package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.liveness.ProviderAvailability;
import dev.speechfleet.core.provider.ProviderCatalog;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.tracing.EntryTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Starts one {@link StreamWorker} per {@link TranscriptionProvider} bean of the service, and stops them on shutdown. */
@ApplicationScoped
public class WorkerLauncher {

    private final Instance<TranscriptionProvider> providers;
    private final RedisStreams redis;
    private final FleetConfig config;
    private final MeterRegistry meters;
    private final ProviderSelection selection;
    /** Spans of the chunks: a no-op unless an exporter is configured (docs/operations.md, Traces). */
    private final EntryTracing tracing;
    private final List<StreamWorker> workers = Collections.synchronizedList(new ArrayList<>());
    /** One view of which providers are live for every worker of the process. */
    private final ProviderAvailability availability;

    WorkerLauncher(Instance<TranscriptionProvider> providers, RedisStreams redis, FleetConfig config,
            MeterRegistry meters, ProviderSelection selection, EntryTracing tracing) {
        this.tracing = tracing;
        this.providers = providers;
        this.selection = selection;
        this.redis = redis;
        this.config = config;
        this.meters = meters;
        this.availability = availability(redis, config);
    }

    /** Tracks every provider a chunk can be re-routed to: the catalog, the default chain, scale-from-zero ones. */
    static ProviderAvailability availability(RedisStreams redis, FleetConfig config) {
        Set<String> tracked = new LinkedHashSet<>(config.routing().defaultChain());
        ProviderCatalog.entries().forEach(e -> tracked.add(e.name()));
        return new ProviderAvailability(redis, config.providers().liveIdle(), tracked,
                Set.copyOf(config.providers().scaleFromZero().orElse(List.of())), Clock.systemUTC());
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.worker().enabled()) {
            return;
        }
        for (Instance.Handle<TranscriptionProvider> handle : providers.handles()) {
            // A provider bean named after its provider (@Named) is not even created when it is not
            // served: it may refuse to start without credentials this process does not have.
            String declared = handle.getBean().getName();
            if (declared != null && !selection.serves(declared)) {
                continue;
            }
            TranscriptionProvider provider = handle.get();
            if (selection.serves(provider.name())) {
                start(provider);
            }
        }
    }

    private void start(TranscriptionProvider provider) {
        StreamWorker worker = new StreamWorker(redis, provider, settingsFor(provider), meters, availability,
                tracing);
        worker.start();
        workers.add(worker);
    }

    void onStop(@Observes ShutdownEvent event) {
        List<StreamWorker> running = List.copyOf(workers);
        running.parallelStream().forEach(StreamWorker::stop);
    }

    /** The worker of a provider, when this service runs one. */
    public Optional<StreamWorker> worker(String provider) {
        synchronized (workers) {
            return workers.stream().filter(w -> w.provider().equals(provider)).findFirst();
        }
    }

    WorkerSettings settingsFor(TranscriptionProvider provider) {
        FleetConfig.Worker w = config.worker();
        return WorkerSettings.fromConfig(config, w.consumerName().orElseGet(ConsumerNames::defaultName),
                w.concurrency().orElse(provider.defaultConcurrency()), provider.callsWaitOnNetwork());
    }
}
