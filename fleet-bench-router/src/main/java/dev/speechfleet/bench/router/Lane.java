package dev.speechfleet.bench.router;

import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.session.DeviceSession;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One session's injected utterances: run one at a time and in order on a shared pool, as a session's
 * own utterances are dispatched one at a time under its lock. Also the session's audio clock, so
 * that injected utterances follow each other in session time.
 */
final class Lane {

    private final DeviceSession session;
    private final UtteranceDispatcher.Route route;
    private final Executor pool;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Only touched by the task that runs, one at a time. */
    private long nextStartMs;

    Lane(DeviceSession session, UtteranceDispatcher.Route route, Executor pool, long startMs) {
        this.session = session;
        this.route = route;
        this.pool = pool;
        this.nextStartMs = startMs;
    }

    DeviceSession session() {
        return session;
    }

    UtteranceDispatcher.Route route() {
        return route;
    }

    /** Session time of the next utterance, moving the clock past an utterance of {@code durationMs}. */
    long takeStartMs(long durationMs) {
        long start = nextStartMs;
        nextStartMs += durationMs;
        return start;
    }

    /** Runs {@code task} after every task submitted before it. */
    void submit(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (!tasks.isEmpty() && running.compareAndSet(false, true)) {
            pool.execute(this::drain);
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
        } finally {
            running.set(false);
            // A task added between the last poll and the release would otherwise wait for the next submit.
            schedule();
        }
    }
}
