package dev.speechfleet.router.routing;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.liveness.LivenessView;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The providers' live figures, refreshed on one background thread every
 * {@code router.routing.refresh-interval}; routing only ever reads the last snapshot.
 */
@ApplicationScoped
public class LiveFigures {

    private static final Logger LOG = Logger.getLogger(LiveFigures.class);

    private final FiguresReader reader;
    private final RouterConfig config;
    private final AtomicReference<FiguresSnapshot> current = new AtomicReference<>(FiguresSnapshot.empty());
    private ScheduledExecutorService scheduler;

    LiveFigures(RedisStreams redis, RouterConfig config, FleetConfig fleet) {
        this.reader = new FiguresReader(redis, fleet.providers().liveIdle(),
                Set.copyOf(fleet.providers().scaleFromZero().orElse(List.of())));
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("routing-figures").daemon()
                .factory());
        long every = config.routing().refreshInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** The last snapshot; never touches Redis. */
    public FiguresSnapshot snapshot() {
        return current.get();
    }

    /**
     * Who consumes what, as of the last snapshot, for the stranded-entry sweeper: current while the
     * snapshot is at most a few refresh intervals old (a failing refresh keeps an old one, which
     * must not be acted on).
     */
    public LivenessView liveness() {
        return new LivenessView() {
            @Override
            public boolean current() {
                long maxAge = config.routing().refreshInterval().toMillis() * 3 + 1000;
                return System.currentTimeMillis() - snapshot().takenAtMillis() <= maxAge;
            }

            @Override
            public boolean hasLiveConsumer(String provider) {
                return snapshot().of(provider).liveConsumers() > 0;
            }
        };
    }

    /** Reads the figures now (blocking) and publishes them. */
    public FiguresSnapshot refresh() {
        FiguresSnapshot snapshot = reader.read(config.routing().providers(), System.currentTimeMillis());
        current.set(snapshot);
        return snapshot;
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Routing keeps the last snapshot; a stale view beats no view while Redis hiccups.
            LOG.warnf("refreshing routing figures failed, keeping the last ones: %s", e.getMessage());
        }
    }
}
