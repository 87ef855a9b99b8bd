package dev.speechfleet.router.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.quarkus.websockets.next.UserData;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what one device socket has received but the router has not handled yet. websockets-next
 * hands a socket's messages to its callbacks one at a time and queues the rest without limit, so a
 * router that falls behind (CPU, a busy worker pool) would hold every device's audio until its heap
 * runs out. Past {@code highBytes} of unhandled messages this handler stops reading the socket
 * (Netty's auto-read), so TCP pushes back on the device, and reads again once the backlog is down to
 * half. Sits in the socket's Netty pipeline after the {@link MessageSizeGuard}; the socket's callbacks
 * report each message they finish with {@link #handled()}.
 */
public final class InboundBacklog extends ChannelInboundHandlerAdapter {

    /** Name of the handler in the pipeline. */
    static final String NAME = "speechfleet-inbound-backlog";
    /** The connection's backlog, handed from the upgrade to the socket's callbacks. */
    public static final UserData.TypedKey<InboundBacklog> KEY = new UserData.TypedKey<>("inbound-backlog");

    private final long highBytes;
    private final long lowBytes;
    private final Runnable onPause;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Sizes of the messages passed on and not handled yet, oldest first (callbacks handle them in order). */
    private final Queue<Long> messages = new ConcurrentLinkedQueue<>();
    private long messageBytes;
    private volatile Channel channel;

    InboundBacklog(long highBytes, Runnable onPause) {
        this.highBytes = highBytes;
        this.lowBytes = highBytes / 2;
        this.onPause = onPause;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame
                || msg instanceof ContinuationWebSocketFrame) {
            WebSocketFrame frame = (WebSocketFrame) msg;
            messageBytes += frame.content().readableBytes();
            if (frame.isFinalFragment()) {
                messages.add(messageBytes);
                if (queuedBytes.addAndGet(messageBytes) >= highBytes && ctx.channel().config().isAutoRead()) {
                    ctx.channel().config().setAutoRead(false);
                    onPause.run();
                }
                messageBytes = 0;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** A callback finished with the oldest message passed on; reading resumes once the backlog is low. */
    public void handled() {
        Long bytes = messages.poll();
        if (bytes == null) {
            return;
        }
        if (queuedBytes.addAndGet(-bytes) <= lowBytes) {
            Channel ch = channel;
            if (ch != null && !ch.config().isAutoRead()) {
                ch.eventLoop().execute(() -> ch.config().setAutoRead(true));
            }
        }
    }

    /** Bytes received and not handled yet. */
    public long queuedBytes() {
        return queuedBytes.get();
    }
}
