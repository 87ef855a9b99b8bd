package dev.speechfleet.router.session;

import dev.speechfleet.router.audio.FrameDecoder;
import dev.speechfleet.router.delivery.ResultOutbox;
import dev.speechfleet.router.delivery.ResultRecipient;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ServerMessages;
import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.transport.SocketAborts;
import dev.speechfleet.router.vad.Utterance;
import dev.speechfleet.router.vad.UtteranceSegmenter;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One device socket and, once it has started, its session. Inbound messages arrive one at a time;
 * the result pump, the limit checker and the checkpoint task act from their own threads, so the
 * audio path (segmenter and undispatched utterances) is guarded by this object's lock, and sends
 * only ever queue ({@link SendQueue}): no thread waits for a device to read.
 *
 * <p>Every close the server makes first hands the session to {@link Listener#closing}, which cuts
 * and dispatches the utterance in progress; a close by the device goes through the same path.
 */
public final class DeviceSession implements ResultRecipient {

    /** Where the socket is in its life. */
    public enum State { AWAITING_START, ACTIVE, STOPPING, CLOSED }

    /** What the session manager does for a socket at the moments only the session knows of. */
    interface Listener {
        /** The server is about to close the socket: finish its audio first. */
        void closing(DeviceSession session);

        /** A full outbox has room again: results may be read for the session again. */
        void drained(DeviceSession session);
    }

    private final WebSocketConnection connection;
    private final String deviceId;
    private final String devicePolicy;
    private final List<String> deviceProviders;
    private final Listener listener;
    private final SendQueue sendQueue;
    private volatile long lastActivityNanos;
    private volatile State state = State.AWAITING_START;
    private volatile boolean overflowed;

    private volatile String sessionId;
    private volatile boolean resumed;
    private UtteranceDispatcher.Route route;
    private Map<String, String> parameters;
    private UtteranceSegmenter segmenter;
    private UtteranceQueue utterances;
    private FrameDecoder frames;
    private volatile ResultOutbox outbox;
    private volatile long startedNanos;
    private long audioBytes;
    private long skipBytes;
    private boolean audioFinished;
    private volatile long dispatchedMs;
    private volatile long stopRequestedNanos;

    DeviceSession(WebSocketConnection connection, String deviceId, String devicePolicy, List<String> deviceProviders,
            long nowNanos, Listener listener, long outboxBytes, long outboxMaxBytes) {
        this.connection = connection;
        this.deviceId = deviceId;
        this.devicePolicy = devicePolicy;
        this.deviceProviders = deviceProviders;
        this.listener = listener;
        this.lastActivityNanos = nowNanos;
        this.sendQueue = new SendQueue(connection, outboxBytes, outboxMaxBytes, () -> listener.drained(this));
    }

    /** What a started session is made of. */
    record Start(String sessionId, boolean resumed, UtteranceDispatcher.Route route, Map<String, String> parameters,
            UtteranceSegmenter segmenter, UtteranceQueue utterances, ResultOutbox outbox, long skipBytes) {
    }

    synchronized void started(Start start, long nowNanos) {
        this.sessionId = start.sessionId();
        this.resumed = start.resumed();
        this.route = start.route();
        this.parameters = Map.copyOf(start.parameters());
        this.segmenter = start.segmenter();
        this.utterances = start.utterances();
        this.outbox = start.outbox();
        this.skipBytes = start.skipBytes();
        this.dispatchedMs = start.segmenter().positionMs();
        this.startedNanos = nowNanos;
        this.state = State.ACTIVE;
    }

    /**
     * Queues a text for the device. A device so far behind that even the hard limit is reached is
     * marked for the limit checker to close (its results stay in Redis for a resume).
     */
    public void send(String text) {
        if (state == State.CLOSED || connection.isClosed()) {
            return;
        }
        if (!sendQueue.offer(text, System.nanoTime())) {
            overflowed = true;
        }
    }

    /** Sends messages in order. */
    @Override
    public void send(List<String> texts) {
        texts.forEach(this::send);
    }

    /** Sends an error and, when the error ends the session, finishes its audio and closes with its close code. */
    public void fail(ProtocolError error, String message) {
        if (error.closeCode().isEmpty()) {
            send(ServerMessages.error(error, message));
            return;
        }
        if (!beginClose()) {
            return;
        }
        sendQueue.offer(ServerMessages.error(error, message), System.nanoTime());
        sendQueue.closeAfterQueued(new CloseReason(error.closeCode().getAsInt(), error.code()));
    }

    /** Closes normally once everything queued is sent (a stopped session whose transcripts are out). */
    @Override
    public void closeNormally() {
        if (beginClose()) {
            sendQueue.closeAfterQueued(CloseReason.NORMAL);
        }
    }

    /** Closes a device that does not read: what is queued is dropped (it stays in Redis), the close goes out now. */
    void closeSlowReader(String message) {
        if (!beginClose()) {
            return;
        }
        sendQueue.closeNow(new CloseReason(ProtocolError.SLOW_READER.closeCode().getAsInt(), message));
    }

    /** Moves to CLOSED once, after the listener finished the audio; false when already closed. */
    private boolean beginClose() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
        }
        listener.closing(this);
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            state = State.CLOSED;
            return true;
        }
    }

    // --- the audio path, under this object's lock ---

    /**
     * Feeds received audio (after the part of a resend that was already dispatched) and dispatches
     * the utterances it completes; false when more utterances wait for Redis than the queue may hold.
     */
    synchronized boolean feed(byte[] pcm, UtteranceQueue.Steps steps, long nowNanos) {
        byte[] fresh = pcm;
        if (skipBytes > 0) {
            int skip = (int) Math.min(skipBytes, pcm.length);
            skipBytes -= skip;
            fresh = java.util.Arrays.copyOfRange(pcm, skip, pcm.length);
        }
        boolean kept = true;
        for (Utterance utterance : segmenter.feed(fresh)) {
            kept &= utterances.add(utterance, steps, nowNanos);
        }
        return kept;
    }

    /** Cuts the utterance in progress and dispatches it; what it cut, for the log. */
    synchronized Optional<Utterance> flush(UtteranceQueue.Steps steps, long nowNanos) {
        Optional<Utterance> cut = segmenter.flush();
        cut.ifPresent(u -> utterances.add(u, steps, nowNanos));
        return cut;
    }

    /**
     * The socket is ending: cuts the utterance in progress (once) and tries to dispatch everything
     * still waiting. Returns the session audio position when all of it is dispatched, else empty
     * (the device resends what was not, after a resume).
     */
    synchronized Optional<Long> finishAudio(UtteranceQueue.Steps steps, long nowNanos) {
        if (segmenter == null) {
            return Optional.empty();
        }
        if (!audioFinished) {
            audioFinished = true;
            segmenter.flush().ifPresent(u -> utterances.add(u, steps, nowNanos));
        }
        return utterances.drainNow(steps, nowNanos) ? Optional.of(segmenter.positionMs()) : Optional.empty();
    }

    /** Retries utterances waiting for Redis if due; true when none waits. */
    synchronized boolean retryDispatch(UtteranceQueue.Steps steps, long nowNanos) {
        return utterances == null || utterances.retry(steps, nowNanos);
    }

    /** How long utterances of this session have been waiting for Redis; 0 when none waits. */
    synchronized long undispatchedForNanos(long nowNanos) {
        return utterances == null ? 0 : utterances.failingForNanos(nowNanos);
    }

    /** Whether cut utterances still wait for Redis. */
    @Override
    public synchronized boolean hasUndispatched() {
        return utterances != null && !utterances.isEmpty();
    }

    synchronized int undispatched() {
        return utterances == null ? 0 : utterances.waiting();
    }

    synchronized String dispatchFailure() {
        return utterances == null ? "" : utterances.lastFailure();
    }

    /**
     * Session audio before which nothing is left to dispatch (no utterance in progress or waiting
     * starts before it); empty while utterances wait for Redis.
     */
    synchronized Optional<Long> settledMs() {
        if (segmenter == null || !utterances.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(segmenter.settledMs());
    }

    /** Records that the session's audio up to {@code ms} is dispatched. */
    void dispatchedTo(long ms) {
        dispatchedMs = Math.max(dispatchedMs, ms);
    }

    /** Session audio known to be dispatched by this socket (or settled when it started). */
    long dispatchedMs() {
        return dispatchedMs;
    }

    // --- plain state ---

    boolean connectionClosed() {
        return connection.isClosed();
    }

    /** The socket's TCP connection, to abort when the device does not take the close. */
    Optional<SocketAborts.Handle> abortHandle() {
        return Optional.ofNullable(connection.userData().get(SocketAborts.KEY));
    }

    /** The socket is gone (closed by the peer or by us). */
    void markClosed() {
        state = State.CLOSED;
    }

    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    /** Counts received audio; returns the audio milliseconds received on this socket. */
    synchronized long addAudio(int bytes) {
        audioBytes += bytes;
        return audioBytes * 1000 / (2L * route.sampleRate());
    }

    void stopping(long nowNanos) {
        stopRequestedNanos = nowNanos;
        state = State.STOPPING;
    }

    public State state() {
        return state;
    }

    public String connectionId() {
        return connection.id();
    }

    public String deviceId() {
        return deviceId;
    }

    String devicePolicy() {
        return devicePolicy;
    }

    /** The providers the device may use, empty for every provider. */
    List<String> deviceProviders() {
        return deviceProviders;
    }

    /** The session id once started, else {@code null}. */
    @Override
    public String sessionId() {
        return sessionId;
    }

    /** Whether this socket resumed an existing session. */
    boolean resumed() {
        return resumed;
    }

    /** The ordering of this session's results, once started. */
    @Override
    public ResultOutbox outbox() {
        return outbox;
    }

    /** Whether the socket's outbox is full: nothing more should be read for it until it drains. */
    @Override
    public boolean outboxFull() {
        return sendQueue.full();
    }

    /** Since when the outbox has been full (-1 when it is not); {@code Long.MIN_VALUE} once it overflowed. */
    long outboxFullSinceNanos() {
        return overflowed ? Long.MIN_VALUE : sendQueue.fullSinceNanos();
    }

    UtteranceDispatcher.Route route() {
        return route;
    }

    synchronized Map<String, String> parameters() {
        return parameters;
    }

    /** Turns this socket's binary messages into PCM (set at start, before any audio). */
    FrameDecoder frames() {
        return frames;
    }

    void frames(FrameDecoder frames) {
        this.frames = frames;
    }

    long startedNanos() {
        return startedNanos;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public boolean stopRequested() {
        return state == State.STOPPING;
    }

    /** When {@code stop} arrived, 0 before. */
    @Override
    public long stopRequestedNanos() {
        return stopRequestedNanos;
    }
}
