package dev.speechfleet.router.session;

import dev.speechfleet.router.protocol.ProtocolError;
import dev.speechfleet.router.protocol.ServerMessages;
import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Sockets that never send {@code start} count towards a device's limit: at most
 * {@code max-sessions-per-device} of its sockets may wait for their start at once, and a start counts
 * every other open socket of the device, started or not ({@link SessionRegistry#otherSocketsOf}). A new
 * socket stays admitted while the device is at its limit of sessions, so that it can resume one of
 * them (the socket it replaces no longer counts).
 */
@Singleton
final class SocketAdmission {

    private static final Logger LOG = Logger.getLogger(SocketAdmission.class);

    private final SessionRegistry registry;
    private final int limit;
    private final Counter refused;

    SocketAdmission(SessionRegistry registry, RouterConfig config, MeterRegistry meters) {
        this.registry = registry;
        this.limit = config.limits().maxSessionsPerDevice();
        this.refused = meters.counter("router.protocol.errors", "code", ProtocolError.TOO_MANY_SESSIONS.code());
    }

    /**
     * Called from the open callback on the event loop, so the refusal is sent without waiting for it.
     * Returns whether the socket may go on.
     */
    boolean admit(DeviceSession socket, WebSocketConnection connection) {
        if (registry.unstartedSocketsOf(socket.deviceId(), socket.connectionId()) < limit) {
            return true;
        }
        refused.increment();
        socket.markClosed();
        ProtocolError error = ProtocolError.TOO_MANY_SESSIONS;
        connection.sendText(ServerMessages.error(error, "device " + socket.deviceId() + " already has " + limit
                + " sockets waiting for their start")).onFailure().recoverWithNull()
                .chain(() -> connection.close(new CloseReason(error.closeCode().getAsInt(), error.code())))
                .subscribe().with(ignored -> { }, e -> LOG.debugf("refusal of %s failed: %s", connection.id(),
                        e.getMessage()));
        return false;
    }
}
