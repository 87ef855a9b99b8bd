package dev.speechfleet.router.transport;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The Netty channel under a request about to be upgraded to a device socket: the one place that
 * reaches into Vert.x's internals (no public API exposes it), for what websockets-next cannot do —
 * guard and bound what the socket reads, and abort its connection.
 */
final class UpgradingChannel {

    private UpgradingChannel() {
    }

    static Channel of(HttpServerRequest upgrading) {
        return ((ConnectionBase) upgrading.connection()).channel();
    }
}
