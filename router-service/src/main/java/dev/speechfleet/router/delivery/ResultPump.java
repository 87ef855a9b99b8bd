package dev.speechfleet.router.delivery;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.redis.StreamEntry;
import dev.speechfleet.core.stream.MalformedEntryException;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.stream.TranscriptResult;
import dev.speechfleet.core.stream.TranscriptResultCodec;
import dev.speechfleet.router.config.RouterConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one result reader of this router instance. It learns which session streams have new results
 * from one pub/sub subscription ({@link ResultNotifications}), reads only those with non-blocking
 * {@code XRANGE} on the shared pool (every session notified meanwhile in one round, the reads sent at once), and every sweep interval also reads the sessions still awaiting
 * results (a lost notification only delays). No connection is held per session.
 */
@ApplicationScoped
public class ResultPump {

    private static final Logger LOG = Logger.getLogger(ResultPump.class);
    /** Most sessions whose reads one round sends at once. */
    private static final int SESSIONS_PER_ROUND = 256;

    private final RedisStreams redis;
    private final ResultRecipients sessions;
    private final RouterConfig config;
    private final ResultNotifications notifications;
    private final LinkedBlockingQueue<String> dirty = new LinkedBlockingQueue<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile Throwable stoppedBy;
    private Thread thread;

    ResultPump(RedisStreams redis, ResultRecipients sessions, RouterConfig config) {
        this.redis = redis;
        this.sessions = sessions;
        this.config = config;
        this.notifications = new ResultNotifications(redis.client(), this::watch);
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        notifications.start();
        thread = Thread.ofPlatform().name("result-pump").daemon().start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        notifications.stop();
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Asks for the session's stream to be read soon (a notification, a new or resumed session, a stop). */
    public void watch(String sessionId) {
        if (queued.add(sessionId)) {
            dirty.add(sessionId);
        }
    }

    /** Notifications received on the subscription so far. */
    public long notificationsReceived() {
        return notifications.received();
    }

    /** Whether the pub/sub subscription is established (for health and tests). */
    public boolean subscribed() {
        return notifications.subscribed();
    }

    private void loop() {
        long sweepNanos = config.delivery().sweepInterval().toNanos();
        long nextSweep = System.nanoTime() + sweepNanos;
        while (running) {
            try {
                String sessionId = dirty.poll(Math.max(1, nextSweep - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (sessionId != null) {
                    List<String> round = new ArrayList<>();
                    round.add(sessionId);
                    dirty.drainTo(round, SESSIONS_PER_ROUND - 1);
                    round.forEach(queued::remove);
                    readAndDeliver(round);
                }
                if (System.nanoTime() >= nextSweep) {
                    sweep();
                    nextSweep = System.nanoTime() + sweepNanos;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("result pump round failed, the next sweep retries: %s", e.getMessage());
            } catch (Error e) {
                // Out of memory (or worse): this instance can no longer deliver. Say so to the liveness
                // probe, so that the instance is restarted and its devices resume elsewhere, instead of
                // keeping sockets open that never get their transcripts.
                stoppedBy = e;
                LOG.errorf(e, "result pump stopped, this router can no longer deliver results: %s", e);
                return;
            }
        }
    }

    /** What stopped the pump for good ({@code null} while it runs): the instance must be restarted. */
    public Throwable stoppedBy() {
        return stoppedBy;
    }

    /** Sessions still awaiting results are read; held results past their time give up their gap. */
    private void sweep() {
        notifications.ensureSubscribed();
        long now = System.nanoTime();
        for (ResultRecipient session : sessions.sessions()) {
            ResultOutbox outbox = session.outbox();
            if (outbox == null) {
                continue;
            }
            if (outbox.outstanding()) {
                watch(session.sessionId());
            }
            session.send(outbox.expire(now));
            finishIfStopped(session, now);
        }
    }

    /**
     * Reads the new results of every session of the round with one {@code XRANGE} each, all sent at once
     * (one wait for the round, not one per session). A session that filled its read is watched again, so
     * the rest of its results come in the next round; a session whose read failed waits for the sweep.
     */
    private void readAndDeliver(List<String> round) {
        List<ResultRecipient> reading = new ArrayList<>(round.size());
        List<RedisStreams.RangeRead> reads = new ArrayList<>(round.size());
        for (String sessionId : round) {
            sessions.bySession(sessionId).filter(s -> s.outbox() != null).ifPresent(session -> {
                if (session.outboxFull()) {
                    // The device is behind: its results wait in Redis until its outbox drains (which re-watches it).
                    return;
                }
                String cursor = session.outbox().cursor();
                reading.add(session);
                reads.add(new RedisStreams.RangeRead(StreamKeys.sessionResults(sessionId),
                        cursor == null ? "-" : "(" + cursor));
            });
        }
        if (reading.isEmpty()) {
            return;
        }
        int batch = config.delivery().readBatch();
        List<RedisStreams.Ranged> outcomes = redis.rangeEach(reads, batch);
        for (int i = 0; i < reading.size(); i++) {
            deliver(reading.get(i), outcomes.get(i), batch);
        }
    }

    private void deliver(ResultRecipient session, RedisStreams.Ranged read, int batch) {
        if (read.failure() != null) {
            LOG.warnf("reading the results of session %s failed, the next sweep retries: %s", session.sessionId(),
                    read.failure().getMessage());
            return;
        }
        ResultOutbox outbox = session.outbox();
        for (StreamEntry entry : read.entries()) {
            outbox.advanceCursor(entry.id());
            offer(session, outbox, entry);
        }
        if (read.entries().size() == batch) {
            watch(session.sessionId());
        }
        finishIfStopped(session, System.nanoTime());
    }

    private void offer(ResultRecipient session, ResultOutbox outbox, StreamEntry entry) {
        if (entry.deleted()) {
            return;
        }
        TranscriptResult result;
        try {
            result = TranscriptResultCodec.decode(entry.fields());
        } catch (MalformedEntryException e) {
            LOG.warnf("skipping malformed result %s of session %s: %s", entry.id(), session.sessionId(),
                    e.getMessage());
            return;
        }
        session.send(outbox.offer(entry.id(), result, System.nanoTime()));
    }

    /**
     * A stopped session closes normally once every utterance is dispatched and every transcript is
     * out, or after the drain time.
     */
    private void finishIfStopped(ResultRecipient session, long now) {
        if (!session.stopRequested()) {
            return;
        }
        ResultOutbox outbox = session.outbox();
        boolean drained = !outbox.outstanding() && !session.hasUndispatched();
        boolean overdue = now - session.stopRequestedNanos() > config.session().stopDrainTimeout().toNanos();
        if (drained || overdue) {
            session.send(outbox.abandonOutstanding());
            session.closeNormally();
        }
    }
}
