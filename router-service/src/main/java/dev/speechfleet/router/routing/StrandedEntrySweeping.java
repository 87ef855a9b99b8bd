package dev.speechfleet.router.routing;

import dev.speechfleet.core.config.FleetConfig;
import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.worker.ConsumerNames;
import dev.speechfleet.core.worker.StrandedEntrySweeper;
import dev.speechfleet.core.worker.WorkerSettings;
import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs fleet-core's {@link StrandedEntrySweeper} in this router instance, every
 * {@code fleet.sweeper.interval}, over every provider stream a chunk can be sent to, with liveness
 * from the routing figures this router already reads ({@link LiveFigures}). Every instance runs
 * one; Redis' exclusive delivery keeps them from moving an entry twice (ADR 0009).
 */
@ApplicationScoped
public class StrandedEntrySweeping {

    private static final Logger LOG = Logger.getLogger(StrandedEntrySweeping.class);

    private final RedisStreams redis;
    private final RouterConfig router;
    private final FleetConfig fleet;
    private final LiveFigures figures;
    private final MeterRegistry meters;
    private ScheduledExecutorService scheduler;

    StrandedEntrySweeping(RedisStreams redis, RouterConfig router, FleetConfig fleet, LiveFigures figures,
            MeterRegistry meters) {
        this.redis = redis;
        this.router = router;
        this.fleet = fleet;
        this.figures = figures;
        this.meters = meters;
    }

    void onStart(@Observes StartupEvent event) {
        if (!fleet.sweeper().enabled()) {
            LOG.info("stranded-entry sweeper disabled (fleet.sweeper.enabled=false)");
            return;
        }
        StrandedEntrySweeper sweeper = sweeper();
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("stranded-sweeper").daemon()
                .factory());
        long every = fleet.sweeper().interval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> sweepQuietly(sweeper), every, every, TimeUnit.MILLISECONDS);
        LOG.infof("stranded-entry sweeper %s watching %s every %s (deadline %s, scale-from-zero %s)",
                sweeper.consumerName(), watched(), fleet.sweeper().interval(), fleet.sweeper().deadline(),
                fleet.sweeper().scaleFromZeroDeadline());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private StrandedEntrySweeper sweeper() {
        Set<String> scaleFromZero = Set.copyOf(fleet.providers().scaleFromZero().orElse(List.of()));
        String instance = fleet.worker().consumerName().orElseGet(ConsumerNames::defaultName);
        return new StrandedEntrySweeper(redis, watched(),
                new StrandedEntrySweeper.Settings(fleet.sweeper().deadline(), fleet.sweeper().scaleFromZeroDeadline(),
                        fleet.sweeper().batchSize(), scaleFromZero),
                WorkerSettings.fromConfig(fleet, ConsumerNames.sweeper(instance), 1), figures.liveness(), meters,
                Clock.systemUTC());
    }

    /** Every provider a chunk can be sent to: routed to, in the default chain, or scale-from-zero. */
    private List<String> watched() {
        Set<String> providers = new LinkedHashSet<>(router.routing().providers());
        providers.addAll(fleet.routing().defaultChain());
        providers.addAll(fleet.providers().scaleFromZero().orElse(List.of()));
        return new ArrayList<>(providers);
    }

    private void sweepQuietly(StrandedEntrySweeper sweeper) {
        try {
            sweeper.sweep();
        } catch (RuntimeException e) {
            // The schedule must outlive any single failed round.
            LOG.warnf("stranded-entry sweep failed, will retry: %s", e.getMessage());
        }
    }
}
