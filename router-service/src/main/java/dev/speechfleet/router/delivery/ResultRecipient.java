package dev.speechfleet.router.delivery;

import java.util.List;

/**
 * A started session as result delivery sees it: the ordering of its results and the socket they go
 * to. The session package's {@code DeviceSession} is the one implementation, so that delivery depends
 * on nothing of the sessions.
 */
public interface ResultRecipient {

    /** The session; results are read from its stream. */
    String sessionId();

    /** The ordering of the session's results; {@code null} before its start. */
    ResultOutbox outbox();

    /** Whether the socket is behind: its results wait in Redis until it drains. */
    boolean outboxFull();

    /** Queues messages for the device, in order; never waits for it. */
    void send(List<String> messages);

    /** Whether the device sent {@code stop}: the session closes once its results are out. */
    boolean stopRequested();

    /** When {@code stop} arrived ({@link System#nanoTime()}), 0 before. */
    long stopRequestedNanos();

    /** Whether some of the session's utterances still wait to be dispatched (its results are still to come). */
    boolean hasUndispatched();

    /** Closes the socket normally once everything queued is sent. */
    void closeNormally();
}
