package dev.speechfleet.router.session;

import dev.speechfleet.router.device.DeviceUpgradeCheck;
import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.NonBlocking;
import org.jboss.logging.Logger;

/** The device WebSocket (protocol v1); authentication happened before the upgrade. Delegates everything. */
@WebSocket(path = "/ws/{" + DeviceUpgradeCheck.DEVICE_ID_PARAM + "}", endpointId = DeviceUpgradeCheck.ENDPOINT_ID)
public class DeviceSocket {

    private static final Logger LOG = Logger.getLogger(DeviceSocket.class);

    private final SessionManager sessions;

    DeviceSocket(SessionManager sessions) {
        this.sessions = sessions;
    }

    /**
     * On the event loop: the open callback only registers the socket, and a blocking one (run on a
     * worker thread) lets a device's first message race it.
     */
    @OnOpen
    @NonBlocking
    void open(WebSocketConnection connection) {
        sessions.opened(connection);
    }

    @OnTextMessage
    void text(WebSocketConnection connection, String message) {
        sessions.text(connection, message);
    }

    @OnBinaryMessage
    void binary(WebSocketConnection connection, byte[] frame) {
        sessions.binary(connection, frame);
    }

    @OnClose
    void close(WebSocketConnection connection) {
        sessions.closed(connection);
    }

    @OnError
    void error(WebSocketConnection connection, Throwable error) {
        if (error instanceof io.vertx.core.http.HttpClosedException) {
            LOG.debugf("socket %s dropped by the device", connection.id());
            return;
        }
        LOG.warnf(error, "unexpected failure on socket %s", connection.id());
    }
}
