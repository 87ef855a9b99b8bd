package dev.speechfleet.router.routing;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    LiveFigures(RedisStreams redis, RouterConfig config) {
        this.reader = new FiguresReader(redis, config.routing().consumerLiveIdle());
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
