package dev.speechfleet.router.transport;

import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.quarkus.runtime.Startup;
import io.quarkus.websockets.next.UserData;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Aborts the TCP connection of a device socket the router closes but the device does not let go of
 * within {@code router.delivery.close-timeout}. A WebSocket close only ends once the close frame is
 * written (Vert.x starts its own closing timeout then), and a device that stopped reading never
 * lets it be written: without this its connection and the frames in flight to it would be held for
 * as long as the device stays silent, and not even counted against {@code router.limits.max-sockets}
 * (websockets-next forgets a socket once its close is sent).
 */
@Startup
@ApplicationScoped
public class SocketAborts {

    /** The connection's handle, put there at the upgrade. */
    public static final UserData.TypedKey<Handle> KEY = new UserData.TypedKey<>("socket-abort");

    private static final Logger LOG = Logger.getLogger(SocketAborts.class);

    private final Duration closeTimeout;
    private final Counter aborted;

    SocketAborts(RouterConfig config, MeterRegistry meters) {
        this.closeTimeout = config.delivery().closeTimeout();
        this.aborted = Counter.builder("router.sockets.aborted").description("Sockets whose TCP connection was"
                + " aborted because the device did not take the router's close within router.delivery.close-timeout")
                .register(meters);
    }

    /** The handle of the connection of a request about to be upgraded to a device socket. */
    public Handle of(HttpServerRequest upgrading) {
        return new Handle(UpgradingChannel.of(upgrading));
    }

    /** One socket's TCP connection. */
    public final class Handle {

        private final Channel channel;

        private Handle(Channel channel) {
            this.channel = channel;
        }

        /** The router closes the socket: abort its connection unless it is gone by the close timeout. */
        public void closing() {
            channel.eventLoop().schedule(this::abortIfOpen, closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void abortIfOpen() {
            if (!channel.isOpen()) {
                return;
            }
            LOG.infof("aborting the connection of %s: the device did not take the close within %s",
                    channel.remoteAddress(), closeTimeout);
            // A reset, not a FIN behind the unread frames: the kernel drops what the device never read.
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            // Past the pipeline: a close through it waits behind the very writes the device does not take.
            channel.unsafe().close(channel.unsafe().voidPromise());
            aborted.increment();
        }
    }
}
