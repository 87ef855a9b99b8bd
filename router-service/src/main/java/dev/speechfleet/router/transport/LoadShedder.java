package dev.speechfleet.router.transport;

import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.OpenConnections;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Refuses new device sockets (HTTP 503 with {@code Retry-After}, before the upgrade) while this
 * instance holds {@code router.limits.max-sockets} or its heap after collection is above
 * {@code shed-heap-ratio}: an instance at its limit keeps serving the sessions it has instead of
 * running out of heap with all of them, and a refused device tries again (here or, behind a load
 * balancer, elsewhere). Resumes are refused like new sessions: the session waits in Redis.
 */
/* At start, so that its counters are scraped at zero before the first upgrade. */
@Startup
@Singleton
public class LoadShedder {

    private static final Logger LOG = Logger.getLogger(LoadShedder.class);

    /** Why an upgrade was refused, with the reason logged and counted. */
    public record Refusal(String reason, long retryAfterSeconds) {
    }

    private final LongSupplier openSockets;
    private final DoubleSupplier heapShare;
    private final int maxSockets;
    private final double heapRatio;
    private final long retryAfterSeconds;
    private final Counter bySockets;
    private final Counter byHeap;
    private volatile boolean shedding;

    @Inject
    LoadShedder(RouterConfig config, OpenConnections connections, HeapAfterCollection heap, MeterRegistry meters) {
        this(config.limits().maxSockets(), config.limits().shedHeapRatio(),
                Math.max(1, config.limits().shedRetryAfter().toSeconds()),
                () -> connections.stream().count(), heap::share, meters);
    }

    LoadShedder(int maxSockets, double heapRatio, long retryAfterSeconds, LongSupplier openSockets,
            DoubleSupplier heapShare, MeterRegistry meters) {
        if (maxSockets < 1 || heapRatio <= 0 || heapRatio > 1) {
            throw new IllegalArgumentException("router.limits.max-sockets must be at least 1 and"
                    + " router.limits.shed-heap-ratio in (0, 1], got " + maxSockets + " and " + heapRatio);
        }
        this.maxSockets = maxSockets;
        this.heapRatio = heapRatio;
        this.retryAfterSeconds = retryAfterSeconds;
        this.openSockets = openSockets;
        this.heapShare = heapShare;
        this.bySockets = meters.counter("router.upgrades.shed", "reason", "sockets");
        this.byHeap = meters.counter("router.upgrades.shed", "reason", "heap");
    }

    /** Whether this upgrade must be refused now, and why. */
    public Optional<Refusal> check() {
        long open = openSockets.getAsLong();
        if (open >= maxSockets) {
            bySockets.increment();
            return refuse("it holds " + open + " sockets (router.limits.max-sockets " + maxSockets + ")");
        }
        double heap = heapShare.getAsDouble();
        if (heapRatio < 1 && heap > heapRatio) {
            byHeap.increment();
            return refuse(String.format("its heap after collection is %.0f %% of the maximum"
                    + " (router.limits.shed-heap-ratio %.2f)", heap * 100, heapRatio));
        }
        if (shedding) {
            shedding = false;
            LOG.infof("accepting new sockets again (%d open, heap after collection %.0f %%)", open, heap * 100);
        }
        return Optional.empty();
    }

    private Optional<Refusal> refuse(String reason) {
        if (!shedding) {
            shedding = true;
            LOG.warnf("refusing new sockets with HTTP 503: %s", reason);
        }
        return Optional.of(new Refusal(reason, retryAfterSeconds));
    }
}
