package dev.speechfleet.router.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboundBacklogTest {

    private final AtomicInteger pauses = new AtomicInteger();
    private final InboundBacklog backlog = new InboundBacklog(4000, pauses::incrementAndGet);
    private final EmbeddedChannel channel = new EmbeddedChannel(backlog);

    @Test
    void theSocketIsNotReadOnceTheUnhandledMessagesReachTheBound() {
        receive(3);
        assertThat(channel.config().isAutoRead()).isTrue();

        receive(1);

        assertThat(backlog.queuedBytes()).isEqualTo(4000);
        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(pauses).hasValue(1);
    }

    @Test
    void readingResumesOnlyOnceHalfTheBoundIsHandled() {
        receive(5);

        backlog.handled();
        backlog.handled();
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).as("3,000 bytes still unhandled").isFalse();

        backlog.handled();
        channel.runPendingTasks();

        assertThat(backlog.queuedBytes()).isEqualTo(2000);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void everyMessageIsPassedOnWhilePaused() {
        receive(6);

        assertThat(channel.inboundMessages()).hasSize(6);
    }

    @Test
    void aFragmentedMessageCountsOnceWithAllItsBytes() {
        channel.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[1500])));
        channel.writeInbound(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[1500])));
        assertThat(backlog.queuedBytes()).isZero();

        channel.writeInbound(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[1000])));

        assertThat(backlog.queuedBytes()).isEqualTo(4000);
        assertThat(channel.config().isAutoRead()).isFalse();
        backlog.handled();
        assertThat(backlog.queuedBytes()).isZero();
    }

    @Test
    void controlFramesDoNotCount() {
        channel.writeInbound(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[100])));

        assertThat(backlog.queuedBytes()).isZero();
    }

    @Test
    void aHandledCallWithNothingQueuedChangesNothing() {
        backlog.handled();

        assertThat(backlog.queuedBytes()).isZero();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    private void receive(int messages) {
        for (int i = 0; i < messages; i++) {
            channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[1000])));
        }
    }
}
