package dev.speechfleet.router.transport;

import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * The largest WebSocket message a device may send ({@code router.limits.max-message-bytes}): larger
 * ones are refused with close 1009 and a reason ({@link MessageSizeGuard}). Messages up to it reach
 * the protocol, which answers frames over {@code max-frame-ms} with {@code frame_too_large}.
 */
@Startup
@ApplicationScoped
public class MessageSizeLimit {

    static final String QUARKUS_FRAME_SIZE = "quarkus.websockets-next.server.max-frame-size";
    static final String QUARKUS_MESSAGE_SIZE = "quarkus.websockets-next.server.max-message-size";
    private static final Logger LOG = Logger.getLogger(MessageSizeLimit.class);

    private final int maxBytes;
    private final Counter refused;
    private final Counter paused;
    private final long backlogBytes;

    MessageSizeLimit(RouterConfig config, Config allConfig, MeterRegistry meters) {
        this.maxBytes = config.limits().maxMessageBytes();
        int largestValid = Math.max(config.limits().maxTextBytes(), config.limits().maxFrameMs()
                * Collections.max(config.limits().sampleRates()) / 1000 * 2);
        if (maxBytes < largestValid) {
            throw new IllegalStateException("router.limits.max-message-bytes (" + maxBytes + ") must hold the largest "
                    + "valid message, " + largestValid + " bytes (max-frame-ms at the highest sample rate, max-text-bytes)");
        }
        checkTransport(QUARKUS_FRAME_SIZE, allConfig.getOptionalValue(QUARKUS_FRAME_SIZE, Integer.class)
                .orElse(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE));
        checkTransport(QUARKUS_MESSAGE_SIZE, allConfig.getOptionalValue(QUARKUS_MESSAGE_SIZE, Integer.class)
                .orElse(HttpServerOptions.DEFAULT_MAX_WEBSOCKET_MESSAGE_SIZE));
        this.refused = meters.counter("router.protocol.errors", "code", "message_too_big");
        this.backlogBytes = Math.max(config.limits().inboundBacklog().asLongValue(), maxBytes);
        this.paused = Counter.builder("router.sockets.read_paused").description("Times a socket was not read"
                + " because the router had not handled router.limits.inbound-backlog of its messages").register(meters);
    }

    /**
     * Below the router's limit the transport would cut messages the router promises to read (with a
     * misleading reason); above it, it only buffers more than needed before the guard refuses.
     */
    private void checkTransport(String property, int transportBytes) {
        if (transportBytes < maxBytes) {
            throw new IllegalStateException(property + " (" + transportBytes + ") is below router.limits.max-message-bytes ("
                    + maxBytes + "); set only the router property, application.properties derives the other");
        }
        if (transportBytes > maxBytes) {
            LOG.warnf("%s (%d) is above router.limits.max-message-bytes (%d): messages are buffered up to it before"
                    + " they are refused", property, transportBytes, maxBytes);
        }
    }

    /** The limit in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /**
     * Puts a guard into the connection of a request about to be upgraded to a device socket, and the
     * bound on what the socket may hold unhandled ({@link InboundBacklog}), which it returns.
     */
    public InboundBacklog guard(HttpServerRequest upgrading) {
        ChannelPipeline pipeline = UpgradingChannel.of(upgrading).pipeline();
        // Before Vert.x's own handler, so that the guard sees decoded frames and decoder failures first.
        if (pipeline.get(MessageSizeGuard.NAME) == null) {
            pipeline.addBefore("handler", MessageSizeGuard.NAME, new MessageSizeGuard(maxBytes, refused::increment));
        }
        InboundBacklog backlog = (InboundBacklog) pipeline.get(InboundBacklog.NAME);
        if (backlog == null) {
            backlog = new InboundBacklog(backlogBytes, paused::increment);
            // After the guard: only messages that reach the callbacks count.
            pipeline.addBefore("handler", InboundBacklog.NAME, backlog);
        }
        return backlog;
    }
}
