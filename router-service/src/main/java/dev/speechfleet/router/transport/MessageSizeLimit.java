package dev.speechfleet.router.transport;

import dev.speechfleet.router.config.RouterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

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

    private final int maxBytes;
    private final Counter refused;

    MessageSizeLimit(RouterConfig config, Config allConfig, MeterRegistry meters) {
        this.maxBytes = config.limits().maxMessageBytes();
        int largestValid = Math.max(config.limits().maxTextBytes(), config.limits().maxFrameMs()
                * Collections.max(config.limits().sampleRates()) / 1000 * 2);
        if (maxBytes < largestValid) {
            throw new IllegalStateException("router.limits.max-message-bytes (" + maxBytes + ") must hold the largest "
                    + "valid message, " + largestValid + " bytes (max-frame-ms at the highest sample rate, max-text-bytes)");
        }
        for (String transport : new String[] {QUARKUS_FRAME_SIZE, QUARKUS_MESSAGE_SIZE}) {
            Optional<Integer> value = allConfig.getOptionalValue(transport, Integer.class);
            if (value.isEmpty() || value.get() != maxBytes) {
                throw new IllegalStateException(transport + " must equal router.limits.max-message-bytes (" + maxBytes
                        + "), not " + value.map(String::valueOf).orElse("unset") + "; set only the router property");
            }
        }
        this.refused = meters.counter("router.protocol.errors", "code", "message_too_big");
    }

    /** The limit in bytes. */
    public int maxBytes() {
        return maxBytes;
    }

    /** Puts a guard into the connection of a request about to be upgraded to a device socket. */
    public void guard(HttpServerRequest upgrading) {
        ChannelPipeline pipeline = ((ConnectionBase) upgrading.connection()).channel().pipeline();
        // Before Vert.x's own handler, so that the guard sees decoded frames and decoder failures first.
        if (pipeline.get(MessageSizeGuard.NAME) == null) {
            pipeline.addBefore("handler", MessageSizeGuard.NAME, new MessageSizeGuard(maxBytes, refused::increment));
        }
    }
}
