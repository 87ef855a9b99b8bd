package dev.speechfleet.router.transport;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Sits in one socket's Netty pipeline between the WebSocket decoder and Vert.x, and refuses a
 * message over the limit with close 1009 and a reason. Without it, Vert.x answers a frame over its
 * frame limit by dropping the TCP connection without a close frame (the decoder's
 * close-on-violation is off), and a message over its message limit sent in small frames by only
 * calling the error handler: the device hears nothing until it idles out.
 */
final class MessageSizeGuard extends ChannelDuplexHandler {

    /** Name of the handler in the pipeline. */
    static final String NAME = "speechfleet-message-size-guard";

    /** How long the device has to answer our close frame before the TCP connection is dropped. */
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final int maxBytes;
    private final Runnable onRefused;
    private long messageBytes;
    private boolean refused;

    MessageSizeGuard(int maxBytes, Runnable onRefused) {
        this.maxBytes = maxBytes;
        this.onRefused = onRefused;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            if (msg instanceof CloseWebSocketFrame) {
                ctx.close();
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof BinaryWebSocketFrame || msg instanceof TextWebSocketFrame) {
            messageBytes = ((WebSocketFrame) msg).content().readableBytes();
        } else if (msg instanceof ContinuationWebSocketFrame frame) {
            messageBytes += frame.content().readableBytes();
        }
        if (messageBytes > maxBytes) {
            ReferenceCountUtil.release(msg);
            refuse(ctx);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** The decoder refuses a frame over its limit at the frame's header, before reading the payload. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e
                && e.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()) {
            if (!refused) {
                refuse(ctx);
            }
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** After our close frame nothing else may go out (a transcript, the session's own close). */
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (refused && msg instanceof WebSocketFrame) {
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
            return;
        }
        ctx.write(msg, promise);
    }

    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        onRefused.run();
        CloseWebSocketFrame close = new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
                "message over " + maxBytes + " bytes (router.limits.max-message-bytes)");
        // Written past this handler's own write(), which now drops frames. The rest of the oversized
        // message is still arriving: the TCP connection stays open (its bytes discarded) until the
        // device answers the close or the grace runs out, so the close frame is read, not lost in a reset.
        ctx.writeAndFlush(close).addListener((ChannelFutureListener) sent -> ctx.executor()
                .schedule(() -> ctx.close(), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS));
    }
}
