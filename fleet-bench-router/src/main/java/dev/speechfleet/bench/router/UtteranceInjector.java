package dev.speechfleet.bench.router;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.router.config.RouterConfig;
import dev.speechfleet.router.routing.LiveFigures;
import dev.speechfleet.router.routing.RouteChooser;
import dev.speechfleet.router.routing.RoutingPolicy;
import dev.speechfleet.router.routing.RoutingWeights;
import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.session.DeviceSession;
import dev.speechfleet.router.session.SessionRegistry;
import dev.speechfleet.router.session.SessionStore;
import dev.speechfleet.router.vad.Utterance;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Dispatches utterances into the sessions open on this router as if their VAD had just cut them:
 * the same three Redis steps a session runs for each cut utterance ({@code SessionManager}'s
 * steps: take the seq, add the entry through the router's own {@link UtteranceDispatcher}, confirm
 * the position), with the session's outbox told the seq is awaited, so the result pump delivers
 * the transcript to the device's socket exactly as for spoken audio. Socket ingest and the VAD are
 * left out on purpose: this is where the benchmark's pipeline starts.
 *
 * <p>Open loop: utterance {@code k} is due at {@code start + k / rate} whatever happened to the ones
 * before it; a dispatch that starts late is recorded with its due time, so lateness counts against
 * the fleet. Rate 0 dispatches every session's share back to back (closed loop, for throughput).
 */
@ApplicationScoped
public class UtteranceInjector {

    private static final Logger LOG = Logger.getLogger(UtteranceInjector.class);
    private static final int SAMPLE_RATE = 16000;
    private static final String LANGUAGE = "en";

    /**
     * What to inject.
     *
     * @param count         utterances in all, shared out over the open sessions in turn
     * @param ratePerSecond utterances per second (open loop); 0 for as fast as the router dispatches
     * @param pcm           each utterance's audio, 16 kHz mono s16le
     */
    public record Plan(int count, double ratePerSecond, byte[] pcm) {
        public Plan {
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1");
            }
            if (ratePerSecond < 0) {
                throw new IllegalArgumentException("rate must not be negative");
            }
            if (pcm.length < 2 || pcm.length % 2 != 0) {
                throw new IllegalArgumentException("audio must be whole 16-bit samples");
            }
        }

        long durationMs() {
            return pcm.length / 2 * 1000L / SAMPLE_RATE;
        }
    }

    /**
     * One injected utterance; times are {@link System#nanoTime()} of this process.
     *
     * @param sessionId      its session
     * @param seq            its seq, -1 when the dispatch failed
     * @param dueNanos       when it was due (the moment the VAD would have cut it)
     * @param startedNanos   when its dispatch began
     * @param dispatchedNanos when its entry was in Redis and its position confirmed; -1 when it failed
     * @param error          why it failed, empty when it did not
     */
    public record Injected(String sessionId, long seq, long dueNanos, long startedNanos, long dispatchedNanos,
            String error) {
    }

    private final SessionRegistry registry;
    private final SessionStore store;
    private final UtteranceDispatcher dispatcher;
    private final RoutingPolicy policy;
    private final ExecutorService pool;

    UtteranceInjector(RouterConfig config, InjectorConfig injector, RedisStreams redis, LiveFigures figures,
            SessionRegistry registry, SessionStore store) {
        this.registry = registry;
        this.store = store;
        RouteChooser chooser = new RouteChooser(config.routing().providers(), RoutingWeights.from(config.routing()));
        this.dispatcher = new UtteranceDispatcher(redis, chooser, figures::snapshot, config.session().blobSafetyTtl());
        this.policy = RoutingPolicy.fromWire(config.routing().defaultPolicy()).orElseThrow();
        this.pool = Executors.newFixedThreadPool(injector.threads(),
                Thread.ofPlatform().name("bench-injector-", 0).daemon().factory());
    }

    void onStop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }

    /** Sessions open for audio on this instance (started, not stopping or closed). */
    public List<DeviceSession> openSessions() {
        return registry.sessions().stream().filter(s -> s.state() == DeviceSession.State.ACTIVE)
                .sorted(Comparator.comparing(DeviceSession::sessionId)).toList();
    }

    /** Runs {@code plan} over the sessions open now; returns once every utterance is dispatched or failed. */
    public List<Injected> run(Plan plan) throws InterruptedException {
        List<DeviceSession> sessions = openSessions();
        if (sessions.isEmpty()) {
            throw new IllegalStateException("no session is open on this router to inject into");
        }
        List<Lane> lanes = sessions.stream().map(s -> new Lane(s, new UtteranceDispatcher.Route(s.sessionId(),
                s.deviceId(), SAMPLE_RATE, LANGUAGE, policy, List.of()), pool, 0)).toList();
        Injected[] done = new Injected[plan.count()];
        CountDownLatch finished = new CountDownLatch(plan.count());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        if (plan.ratePerSecond() == 0) {
            closedLoop(plan, lanes, done, finished, start);
        } else {
            openLoop(plan, lanes, done, finished, start);
        }
        Duration limit = Duration.ofMinutes(10);
        if (!finished.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(finished.getCount() + " injected utterances still not dispatched after "
                    + limit);
        }
        return List.of(done);
    }

    private void closedLoop(Plan plan, List<Lane> lanes, Injected[] done, CountDownLatch finished, long start) {
        for (int l = 0; l < lanes.size(); l++) {
            Lane lane = lanes.get(l);
            int first = l;
            lane.submit(() -> {
                LockSupport.parkNanos(start - System.nanoTime());
                for (int k = first; k < plan.count(); k += lanes.size()) {
                    done[k] = dispatch(lane, plan, System.nanoTime());
                    finished.countDown();
                }
            });
        }
    }

    private void openLoop(Plan plan, List<Lane> lanes, Injected[] done, CountDownLatch finished, long start) {
        double intervalNanos = 1e9 / plan.ratePerSecond();
        for (int k = 0; k < plan.count(); k++) {
            long due = start + (long) (k * intervalNanos);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            int index = k;
            Lane lane = lanes.get(k % lanes.size());
            lane.submit(() -> {
                done[index] = dispatch(lane, plan, due);
                finished.countDown();
            });
        }
    }

    /** The steps a session runs for a cut utterance (see the class comment). */
    private Injected dispatch(Lane lane, Plan plan, long dueNanos) {
        long started = System.nanoTime();
        DeviceSession session = lane.session();
        String sessionId = session.sessionId();
        long duration = plan.durationMs();
        Utterance utterance = new Utterance(lane.takeStartMs(duration), duration, duration, plan.pcm(), true);
        try {
            long seq = store.takeSeq(sessionId).orElseThrow(() -> new IllegalStateException("session " + sessionId
                    + " no longer exists in Redis"));
            dispatcher.dispatch(lane.route(), seq, utterance);
            session.outbox().issued(seq);
            store.confirm(sessionId, seq, utterance.endMs());
            return new Injected(sessionId, seq, dueNanos, started, System.nanoTime(), "");
        } catch (RuntimeException e) {
            LOG.warnf("injecting into %s failed: %s", sessionId, e.getMessage());
            return new Injected(sessionId, -1, dueNanos, started, -1, String.valueOf(e.getMessage()));
        }
    }
}
