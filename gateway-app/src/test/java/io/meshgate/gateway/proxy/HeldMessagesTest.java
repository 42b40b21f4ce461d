package io.meshgate.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.WebSocketMessage;

/** Messages read ahead of the client are released when the relay ends without them, and only once. */
class HeldMessagesTest {

    private final NettyDataBufferFactory buffers = new NettyDataBufferFactory(Unpooled.buffer().alloc());

    @Test
    void messagesNotHandedOverAreReleasedAndLaterOnesNotRetained() {
        HeldMessages held = new HeldMessages();
        ByteBuf sent = Unpooled.copiedBuffer("sent", StandardCharsets.UTF_8);
        ByteBuf left = Unpooled.copiedBuffer("left", StandardCharsets.UTF_8);
        ByteBuf late = Unpooled.copiedBuffer("late", StandardCharsets.UTF_8);
        WebSocketMessage first = message(sent);
        WebSocketMessage second = message(left);
        held.hold(first);
        held.hold(second);
        assertThat(left.refCnt()).isEqualTo(2);

        assertThat(held.handOver(first)).isTrue();
        held.releaseAll();
        held.hold(message(late));

        assertThat(sent.refCnt()).as("handed over: the sender's to free").isEqualTo(2);
        assertThat(left.refCnt()).as("released").isEqualTo(1);
        assertThat(late.refCnt()).as("not retained after the end").isEqualTo(1);
        assertThat(held.handOver(second)).isFalse();
        assertThat(held.size()).isZero();
    }

    private WebSocketMessage message(ByteBuf content) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, buffers.wrap(content));
    }
}
