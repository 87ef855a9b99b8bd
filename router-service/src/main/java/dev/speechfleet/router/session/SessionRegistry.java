package dev.speechfleet.router.session;

import dev.speechfleet.router.delivery.ResultRecipients;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sockets and sessions open on this router instance. */
@ApplicationScoped
public class SessionRegistry implements ResultRecipients {

    private final Map<String, DeviceSession> byConnection = new ConcurrentHashMap<>();
    private final Map<String, DeviceSession> bySession = new ConcurrentHashMap<>();

    /** The socket's session, registered on first use (a message may be handled before the open callback). */
    DeviceSession register(String connectionId, java.util.function.Supplier<DeviceSession> create) {
        return byConnection.computeIfAbsent(connectionId, id -> create.get());
    }

    /** Binds a started session; returns the socket that held the session before, if any. */
    Optional<DeviceSession> bind(String sessionId, DeviceSession session) {
        return Optional.ofNullable(bySession.put(sessionId, session)).filter(old -> old != session);
    }

    void closed(DeviceSession session) {
        byConnection.remove(session.connectionId(), session);
        if (session.sessionId() != null) {
            bySession.remove(session.sessionId(), session);
        }
    }

    Optional<DeviceSession> byConnection(String connectionId) {
        return Optional.ofNullable(byConnection.get(connectionId));
    }

    /** The socket currently serving a session. */
    @Override
    public Optional<DeviceSession> bySession(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    /** Open sockets of a device that have not started a session yet, other than {@code exceptConnectionId}. */
    long unstartedSocketsOf(String deviceId, String exceptConnectionId) {
        return openSockets(deviceId, exceptConnectionId)
                .filter(s -> s.state() == DeviceSession.State.AWAITING_START).count();
    }

    /**
     * Open sockets of a device, started or not, other than {@code exceptConnectionId} and other than the
     * socket serving {@code replacedSessionId} (a resume replaces it).
     */
    long otherSocketsOf(String deviceId, String exceptConnectionId, String replacedSessionId) {
        return openSockets(deviceId, exceptConnectionId)
                .filter(s -> s.sessionId() == null || !s.sessionId().equals(replacedSessionId)).count();
    }

    private java.util.stream.Stream<DeviceSession> openSockets(String deviceId, String exceptConnectionId) {
        // A socket whose close Vert.x has seen no longer counts, even before its close callback has run.
        return byConnection.values().stream()
                .filter(s -> s.deviceId().equals(deviceId) && !s.connectionId().equals(exceptConnectionId))
                .filter(s -> s.state() != DeviceSession.State.CLOSED && !s.connectionClosed());
    }

    /** Every started session. */
    @Override
    public Collection<DeviceSession> sessions() {
        return bySession.values();
    }

    /** Every open socket, started or not. */
    Collection<DeviceSession> sockets() {
        return byConnection.values();
    }
}
