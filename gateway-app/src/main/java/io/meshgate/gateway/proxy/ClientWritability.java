package io.meshgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Backpressure from the client to the upstream: a response body takes the upstream's next buffer only while the
 * client's channel (the HTTP/1.1 connection, or the HTTP/2 stream) is writable, that is while what waits for the
 * client is under the channel's write high-water mark. reactor-netty's writer alone keeps up to 128 buffers in
 * flight per response whatever the channel's writability, and the upstream goes on being read until those are out:
 * a client that does not read would pin that much (measured: about 700 KiB per HTTP/1.1 connection). Here the
 * upstream connection stops being read (reactor-netty turns its auto-read off when nothing is asked of it) until the
 * client has taken what it was given. An HTTP/2 stream also waits while its connection's streams together have more
 * waiting than the connection may hold ({@link ConnectionBuffer}).
 */
final class ClientWritability extends ChannelInboundHandlerAdapter {

    private static final String NAME = "meshgate.writability";

    private final List<Waiter> waiting = new ArrayList<>();

    private ClientWritability() {
    }

    /** A response body's next buffer, waiting for the client's stream (or connection) to take more. */
    record Waiter(Channel client, MonoSink<Void> sink) {

        /** On the event loop: goes on, or waits again for whatever still holds it back. */
        void retry() {
            await(client, this);
        }
    }

    /**
     * The body, each buffer passed on once the client's channel can take it; one buffer at most is held here. An
     * HTTP/1.1 body whose declared length ({@code -1} if none) fits under the connection's high-water mark, on a
     * connection that is writable now, passes as it is: all of it is less than the connection may hold anyway (the
     * connection carries one response at a time), so pacing it would only cost the proxy work on every response.
     */
    static Flux<ByteBuf> paced(Flux<ByteBuf> body, Channel client, long declaredLength) {
        if (declaredLength >= 0 && !(client instanceof Http2StreamChannel) && client.isWritable()
                && declaredLength <= client.config().getWriteBufferHighWaterMark()) {
            return body;
        }
        ConnectionBuffer connection = ConnectionBuffer.counting(client);
        return body.concatMap(buffer -> Mono.just(buffer).delayUntil(b -> writable(client, connection)), 0)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    private static Mono<Void> writable(Channel channel, @Nullable ConnectionBuffer connection) {
        if (!channel.isActive() || channel.isWritable() && (connection == null || connection.open())) {
            return Mono.empty();
        }
        return Mono.create(sink -> {
            Waiter waiter = new Waiter(channel, sink);
            sink.onCancel(() -> channel.eventLoop().execute(() -> forget(waiter)));
            if (channel.eventLoop().inEventLoop()) {
                await(channel, waiter);
            } else {
                channel.eventLoop().execute(() -> await(channel, waiter));
            }
        });
    }

    /** On the channel's event loop, where writability changes: no change can slip between the look and the wait. */
    private static void await(Channel channel, Waiter waiter) {
        if (!channel.isActive()) {
            waiter.sink().success();
            return;
        }
        if (!channel.isWritable()) {
            gate(channel).waiting.add(waiter);
            return;
        }
        ConnectionBuffer connection = ConnectionBuffer.of(channel);
        if (connection != null && !connection.open()) {
            // the stream's gate sees the stream go, which must end this wait too
            gate(channel);
            connection.await(waiter);
            return;
        }
        waiter.sink().success();
    }

    private static ClientWritability gate(Channel channel) {
        ClientWritability gate = channel.pipeline().get(ClientWritability.class);
        if (gate == null) {
            gate = new ClientWritability();
            channel.pipeline().addFirst(NAME, gate);
        }
        return gate;
    }

    private static void forget(Waiter waiter) {
        ClientWritability gate = waiter.client().pipeline().get(ClientWritability.class);
        if (gate != null) {
            gate.waiting.remove(waiter);
        }
        ConnectionBuffer connection = ConnectionBuffer.of(waiter.client());
        if (connection != null) {
            connection.forget(waiter);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            release();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // the write that follows fails and ends the body, releasing what it holds
        release();
        ConnectionBuffer connection = ConnectionBuffer.of(ctx.channel());
        if (connection != null) {
            connection.release(ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    private void release() {
        List<Waiter> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(Waiter::retry);
    }
}
