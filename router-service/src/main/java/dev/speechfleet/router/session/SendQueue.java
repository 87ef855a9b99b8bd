package dev.speechfleet.router.session;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;

/**
 * The outbox of one socket: messages wait here and go out one at a time, each after the previous
 * one was written to the socket, so no thread ever waits for a device to read. A device that stops
 * reading makes the queue grow; once it holds {@code softLimitBytes} it is <em>full</em> (the result
 * pump stops reading for the session, results stay in Redis), and past {@code hardLimitBytes} it
 * takes nothing more. How long it stays full is what the limit checker closes a slow reader on.
 * A close waits behind the messages queued before it. Thread-safe.
 */
final class SendQueue {

    private static final Logger LOG = Logger.getLogger(SendQueue.class);

    /** A text to send, or the close that ends the socket (then {@code text} is null). */
    private record Item(String text, int bytes, CloseReason close) {
    }

    private final WebSocketConnection connection;
    private final long softLimitBytes;
    private final long hardLimitBytes;
    private final Runnable onDrained;
    private final Deque<Item> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean sending;
    private boolean closed;
    private long fullSinceNanos = -1;

    /**
     * @param onDrained called (outside the lock) when a full queue has room again
     */
    SendQueue(WebSocketConnection connection, long softLimitBytes, long hardLimitBytes, Runnable onDrained) {
        this.connection = connection;
        this.softLimitBytes = softLimitBytes;
        this.hardLimitBytes = Math.max(softLimitBytes, hardLimitBytes);
        this.onDrained = onDrained;
    }

    /** Queues a text; false when the queue is closed or over its hard limit (the text is dropped). */
    boolean offer(String text, long nowNanos) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        synchronized (this) {
            if (closed || queuedBytes + bytes > hardLimitBytes && queuedBytes > 0) {
                return false;
            }
            queue.addLast(new Item(text, bytes, null));
            queuedBytes += bytes;
            if (queuedBytes >= softLimitBytes && fullSinceNanos < 0) {
                fullSinceNanos = nowNanos;
            }
        }
        pump();
        return true;
    }

    /** Queues the close: it goes out once everything queued before it was written. */
    void closeAfterQueued(CloseReason reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.addLast(new Item(null, 0, reason));
        }
        pump();
    }

    /** Drops what is queued and closes now (a device that does not read would never get to a queued close). */
    void closeNow(CloseReason reason) {
        synchronized (this) {
            queue.clear();
            queuedBytes = 0;
            closed = true;
        }
        closeConnection(reason);
    }

    /** Whether the queue holds its soft limit or more: nothing more should be read for this socket. */
    synchronized boolean full() {
        return fullSinceNanos >= 0;
    }

    /** Since when the queue has been full, -1 when it is not. */
    synchronized long fullSinceNanos() {
        return fullSinceNanos;
    }

    synchronized long queuedBytes() {
        return queuedBytes;
    }

    /** Starts the next send unless one is in flight. */
    private void pump() {
        Item next;
        synchronized (this) {
            if (sending || queue.isEmpty()) {
                return;
            }
            next = queue.peekFirst();
            sending = true;
        }
        if (next.close() != null) {
            closeConnection(next.close());
            return;
        }
        connection.sendText(next.text()).subscribe().with(ignored -> sent(next), failure -> failed(next, failure));
    }

    private void sent(Item item) {
        boolean drained;
        synchronized (this) {
            sending = false;
            if (queue.peekFirst() == item) {
                queue.removeFirst();
                queuedBytes -= item.bytes();
            }
            drained = fullSinceNanos >= 0 && queuedBytes < softLimitBytes;
            if (drained) {
                fullSinceNanos = -1;
            }
        }
        if (drained) {
            onDrained.run();
        }
        pump();
    }

    private void failed(Item item, Throwable failure) {
        LOG.debugf("could not send to %s: %s", connection.id(), failure.getMessage());
        synchronized (this) {
            // The socket is gone: what is queued cannot be delivered; the session stream keeps the results.
            queue.clear();
            queuedBytes = 0;
            fullSinceNanos = -1;
            sending = false;
            closed = true;
        }
    }

    private void closeConnection(CloseReason reason) {
        if (connection.isClosed()) {
            return;
        }
        connection.close(reason).subscribe().with(ignored -> { }, e -> LOG.debugf("close of %s failed: %s",
                connection.id(), e.getMessage()));
    }
}
