package dev.speechfleet.router.session;

import dev.speechfleet.router.delivery.ResultOutbox;
import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ServerMessages;
import dev.speechfleet.router.routing.UtteranceDispatcher;
import dev.speechfleet.router.vad.UtteranceSegmenter;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One device socket and, once it has started, its session. Inbound messages arrive one at a time
 * (serial processing); the result pump and the limit checker send and close from their own threads.
 */
public final class DeviceSession {

    private static final Logger LOG = Logger.getLogger(DeviceSession.class);

    /** Where the socket is in its life. */
    public enum State { AWAITING_START, ACTIVE, STOPPING, CLOSED }

    private final WebSocketConnection connection;
    private final String deviceId;
    private final String devicePolicy;
    private final List<String> deviceProviders;
    private volatile long lastActivityNanos;
    private volatile State state = State.AWAITING_START;

    private volatile String sessionId;
    private UtteranceDispatcher.Route route;
    private UtteranceSegmenter segmenter;
    private volatile ResultOutbox outbox;
    private volatile long startedNanos;
    private long audioBytes;
    private volatile long stopRequestedNanos;

    DeviceSession(WebSocketConnection connection, String deviceId, String devicePolicy, List<String> deviceProviders,
            long nowNanos) {
        this.connection = connection;
        this.deviceId = deviceId;
        this.devicePolicy = devicePolicy;
        this.deviceProviders = deviceProviders;
        this.lastActivityNanos = nowNanos;
    }

    void started(String sessionId, UtteranceDispatcher.Route route, UtteranceSegmenter segmenter, ResultOutbox outbox,
            long nowNanos) {
        this.sessionId = sessionId;
        this.route = route;
        this.segmenter = segmenter;
        this.outbox = outbox;
        this.startedNanos = nowNanos;
        this.state = State.ACTIVE;
    }

    /** Sends text; a socket that is gone is not an error worth more than a debug line. */
    public void send(String text) {
        if (state == State.CLOSED || connection.isClosed()) {
            return;
        }
        try {
            connection.sendTextAndAwait(text);
        } catch (RuntimeException e) {
            LOG.debugf("could not send to %s: %s", connection.id(), e.getMessage());
        }
    }

    /** Sends messages in order. */
    public void send(List<String> texts) {
        texts.forEach(this::send);
    }

    /** Sends an error and, when the error ends the session, closes with its close code. */
    public void fail(ProtocolError error, String message) {
        send(ServerMessages.error(error, message));
        error.closeCode().ifPresent(code -> close(new CloseReason(code, error.code())));
    }

    /** Closes the socket once (normal close after {@code stop}, or an error's close code). */
    public void close(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        connection.close(reason).subscribe().with(ignored -> { }, e -> LOG.debugf("close of %s failed: %s",
                connection.id(), e.getMessage()));
    }

    boolean connectionClosed() {
        return connection.isClosed();
    }

    /** The socket is gone (closed by the peer or by us). */
    void markClosed() {
        state = State.CLOSED;
    }

    void touch(long nowNanos) {
        lastActivityNanos = nowNanos;
    }

    /** Counts received audio; returns the audio milliseconds received since start. */
    long addAudio(int bytes) {
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
    public String sessionId() {
        return sessionId;
    }

    /** The ordering of this session's results, once started. */
    public ResultOutbox outbox() {
        return outbox;
    }

    UtteranceDispatcher.Route route() {
        return route;
    }

    UtteranceSegmenter segmenter() {
        return segmenter;
    }

    long startedNanos() {
        return startedNanos;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** When {@code stop} arrived, 0 before. */
    public long stopRequestedNanos() {
        return stopRequestedNanos;
    }
}
