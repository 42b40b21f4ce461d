package io.meshgate.gateway.passthrough;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Relays what one side of a {@link RelayedConnection} reads to the other side (its peer), with backpressure: while
 * the peer cannot take more, this side stops reading. Until the peer is connected, reads are held back. A half-close
 * (end of input) is passed on as a half-close of the peer's output, once what came before it is written.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

    private final RelayedConnection connection;
    private final boolean fromClient;
    private final List<Object> pending = new ArrayList<>();
    private @Nullable Channel peer;
    private boolean inputShutDown;

    RelayHandler(RelayedConnection connection, boolean fromClient) {
        this.connection = connection;
        this.fromClient = fromClient;
    }

    /** The peer is connected: what was held back goes to it now. */
    void connected(Channel peer) {
        this.peer = peer;
        pending.forEach(msg -> relay(peer, msg));
        pending.clear();
        peer.flush();
        if (inputShutDown) {
            shutDownOutput(peer);
        }
    }

    /** Drops what was held back for a peer that never connected. */
    void discard() {
        pending.forEach(ReferenceCountUtil::release);
        pending.clear();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel target = peer;
        if (connection.isClosed()) {
            ReferenceCountUtil.release(msg);
        } else if (target == null) {
            pending.add(msg);
        } else {
            relay(target, msg);
        }
    }

    private void relay(Channel target, Object msg) {
        connection.relayed(fromClient, msg instanceof ByteBuf buf ? buf.readableBytes() : 0);
        target.write(msg).addListener((ChannelFutureListener) future -> {
            if (!future.isSuccess()) {
                connection.close();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel target = peer;
        if (target != null) {
            target.flush();
            if (!target.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel target = peer;
        if (ctx.channel().isWritable() && target != null && !connection.isClosed()) {
            resumeReading(target);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputShutDown = true;
            Channel target = peer;
            if (target != null) {
                shutDownOutput(target);
            }
            connection.inputShutDown();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Reads from the channel again, unless its input is over (epoll fails a read after the end of input). */
    static void resumeReading(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(true);
        }
    }

    /** Half-closes the peer once everything written to it so far is out (shutting down earlier would drop it). */
    private static void shutDownOutput(Channel target) {
        target.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) future -> {
            if (future.isSuccess() && target instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        connection.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.close();
    }
}
