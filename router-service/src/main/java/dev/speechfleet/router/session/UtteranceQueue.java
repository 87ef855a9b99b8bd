package dev.speechfleet.router.session;

import dev.speechfleet.core.redis.RedisUnavailableException;
import dev.speechfleet.router.vad.Utterance;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A session's utterances between the segmenter and the provider streams, in order of speech. An
 * utterance that Redis does not take (unreachable) stays here, with its seq once it has one, and is
 * retried with backoff; later utterances wait behind it, so seqs stay in the order of speech and no
 * step is repeated (a seq is taken once, an entry added once). Not thread-safe: its
 * {@link DeviceSession} serialises access.
 */
final class UtteranceQueue {

    /** The three Redis steps of one utterance; each throws {@link RedisUnavailableException} when Redis is away. */
    interface Steps {
        /** Takes the session's next seq. */
        long takeSeq(Utterance utterance);

        /** Adds the utterance's audio entries to the provider streams. */
        void enqueue(long seq, Utterance utterance);

        /** Records that the session's audio up to the utterance's end is dispatched. */
        void confirm(long seq, Utterance utterance);
    }

    /** Where an utterance is on its way: no seq yet (-1), seq taken, entries added. */
    private static final class Pending {
        final Utterance utterance;
        long seq = -1;
        boolean enqueued;

        Pending(Utterance utterance) {
            this.utterance = utterance;
        }
    }

    private static final long FIRST_RETRY_NANOS = 100_000_000L;
    private static final long MAX_RETRY_NANOS = 2_000_000_000L;

    private final Deque<Pending> queue = new ArrayDeque<>();
    private final int maxWaiting;
    private final long retryWindowNanos;
    private long failingSinceNanos = -1;
    private long retryAtNanos;
    private long retryDelayNanos = FIRST_RETRY_NANOS;
    private String lastFailure = "";

    /**
     * @param maxWaiting  most utterances kept waiting for Redis
     * @param retryWindow how long utterances are retried before the session gives up on them: the
     *                    last retry falls at its end, whatever the backoff, so a Redis back by then is used
     */
    UtteranceQueue(int maxWaiting, Duration retryWindow) {
        this.maxWaiting = maxWaiting;
        this.retryWindowNanos = retryWindow.toNanos();
    }

    /**
     * Puts an utterance behind those waiting and dispatches what can be dispatched now (nothing when
     * a retry is not due yet). False when the queue already holds its maximum: the utterance is not kept.
     */
    boolean add(Utterance utterance, Steps steps, long nowNanos) {
        if (queue.size() >= maxWaiting) {
            return false;
        }
        queue.addLast(new Pending(utterance));
        if (failingSinceNanos < 0) {
            drain(steps, nowNanos);
        }
        return true;
    }

    /** Dispatches what waits if its retry is due; true when nothing is left waiting. */
    boolean retry(Steps steps, long nowNanos) {
        if (!queue.isEmpty() && nowNanos >= retryAtNanos) {
            drain(steps, nowNanos);
        }
        return queue.isEmpty();
    }

    /** Dispatches now whatever the backoff says (a closing socket's last chance); true when nothing is left. */
    boolean drainNow(Steps steps, long nowNanos) {
        drain(steps, nowNanos);
        return queue.isEmpty();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int waiting() {
        return queue.size();
    }

    /** Why the last attempt failed, for the message that ends a session when Redis stays away. */
    String lastFailure() {
        return lastFailure;
    }

    /** How long Redis has been refusing this queue's utterances; 0 when it is not. */
    long failingForNanos(long nowNanos) {
        return failingSinceNanos < 0 ? 0 : nowNanos - failingSinceNanos;
    }

    private void drain(Steps steps, long nowNanos) {
        try {
            while (!queue.isEmpty()) {
                Pending next = queue.peekFirst();
                if (next.seq < 0) {
                    next.seq = steps.takeSeq(next.utterance);
                }
                if (!next.enqueued) {
                    steps.enqueue(next.seq, next.utterance);
                    next.enqueued = true;
                }
                steps.confirm(next.seq, next.utterance);
                queue.removeFirst();
            }
            failingSinceNanos = -1;
            retryDelayNanos = FIRST_RETRY_NANOS;
        } catch (RedisUnavailableException e) {
            if (failingSinceNanos < 0) {
                failingSinceNanos = nowNanos;
            }
            // Never later than the window's end: the session gives up only after a retry there failed.
            retryAtNanos = Math.min(nowNanos + retryDelayNanos, failingSinceNanos + retryWindowNanos);
            retryDelayNanos = Math.min(MAX_RETRY_NANOS, retryDelayNanos * 2);
            lastFailure = e.getMessage();
        }
    }
}
