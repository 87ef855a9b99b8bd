package dev.speechfleet.core.worker;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.provider.TranscriptionProvider;
import dev.speechfleet.core.redis.RedisStreams;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Starts one {@link StreamWorker} per {@link TranscriptionProvider} bean of the service, and stops them on shutdown. */
@ApplicationScoped
public class WorkerLauncher {

    private final Instance<TranscriptionProvider> providers;
    private final RedisStreams redis;
    private final FleetConfig config;
    private final MeterRegistry meters;
    private final ProviderSelection selection;
    private final List<StreamWorker> workers = Collections.synchronizedList(new ArrayList<>());

    WorkerLauncher(Instance<TranscriptionProvider> providers, RedisStreams redis, FleetConfig config,
            MeterRegistry meters, ProviderSelection selection) {
        this.providers = providers;
        this.selection = selection;
        this.redis = redis;
        this.config = config;
        this.meters = meters;
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
        StreamWorker worker = new StreamWorker(redis, provider, settingsFor(provider), meters);
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
        return new WorkerSettings(w.consumerName().orElseGet(ConsumerNames::defaultName),
                w.concurrency().orElse(provider.defaultConcurrency()), w.batchSize(), w.pollTimeout(),
                w.maxRetries(), w.backoffBase(), w.backoffMax(), w.retryAfterLimit(), w.claimIdle(),
                w.maxDeliveries(), w.maintenanceInterval(), w.consumerRemoveIdle(), w.shutdownGrace(),
                config.routing().defaultChain(), w.maxAttempts(), config.streams().failuresMaxLen(),
                config.streams().deadMaxLen());
    }
}
