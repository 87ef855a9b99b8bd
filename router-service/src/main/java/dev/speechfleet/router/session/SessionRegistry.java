package dev.speechfleet.router.session;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The sockets and sessions open on this router instance. */
@ApplicationScoped
public class SessionRegistry {

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
    public Optional<DeviceSession> bySession(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    /** Started sessions of a device, other than {@code except}. */
    long startedSessionsOf(String deviceId, String exceptSessionId) {
        return bySession.values().stream()
                .filter(s -> s.deviceId().equals(deviceId) && s.state() != DeviceSession.State.CLOSED)
                .filter(s -> !s.sessionId().equals(exceptSessionId)).count();
    }

    /** Every started session. */
    public Collection<DeviceSession> sessions() {
        return bySession.values();
    }

    /** Every open socket, started or not. */
    Collection<DeviceSession> sockets() {
        return byConnection.values();
    }
}
