package io.meshgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
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
 * client has taken what it was given.
 */
final class ClientWritability extends ChannelInboundHandlerAdapter {

    private static final String NAME = "meshgate.writability";

    private final List<MonoSink<Void>> waiting = new ArrayList<>();

    private ClientWritability() {
    }

    /** The body, each buffer passed on once the client's channel can take it; one buffer at most is held here. */
    static Flux<ByteBuf> paced(Flux<ByteBuf> body, Channel client) {
        return body.concatMap(buffer -> Mono.just(buffer).delayUntil(b -> writable(client)), 0)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    private static Mono<Void> writable(Channel channel) {
        if (channel.isWritable() || !channel.isActive()) {
            return Mono.empty();
        }
        return Mono.create(sink -> {
            if (channel.eventLoop().inEventLoop()) {
                await(channel, sink);
            } else {
                channel.eventLoop().execute(() -> await(channel, sink));
            }
        });
    }

    /** On the channel's event loop, where writability changes: no change can slip between the look and the wait. */
    private static void await(Channel channel, MonoSink<Void> sink) {
        if (channel.isWritable() || !channel.isActive()) {
            sink.success();
            return;
        }
        ClientWritability gate = channel.pipeline().get(ClientWritability.class);
        if (gate == null) {
            gate = new ClientWritability();
            channel.pipeline().addFirst(NAME, gate);
        }
        ClientWritability registered = gate;
        registered.waiting.add(sink);
        sink.onCancel(() -> channel.eventLoop().execute(() -> registered.waiting.remove(sink)));
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
        ctx.fireChannelInactive();
    }

    private void release() {
        List<MonoSink<Void>> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(MonoSink::success);
    }
}
