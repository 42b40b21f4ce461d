package io.meshgate.gateway.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What all the streams of one HTTP/2 client connection have written and the socket has not yet taken: data in the
 * connection's flow controller (a stream or connection window at zero) or in its outbound buffer. Each stream's own
 * write buffer is bounded by its high-water mark; this bounds their sum, which with 100 streams would otherwise be
 * 100 times that. Above the bound every response body of the connection stops taking upstream data (the upstream
 * connections are then no longer read, see {@link ClientWritability}) until the sum falls to half of it. Envoy bounds
 * an HTTP/2 connection the same way, through its per-connection buffer and connection window. Counted on the
 * connection's event loop, which its streams share.
 */
public final class ConnectionBuffer {

    private static final AttributeKey<ConnectionBuffer> KEY = AttributeKey.valueOf("meshgate.connectionBuffer");
    private static final String COUNTER = "meshgate.connectionBufferCounter";

    private final Channel connection;
    private final long high;
    private final long low;
    private long pending;
    private volatile boolean full;
    private final List<ClientWritability.Waiter> waiting = new ArrayList<>();

    private ConnectionBuffer(Channel connection, long high) {
        this.connection = connection;
        this.high = high;
        this.low = high / 2;
    }

    /** Bounds what the streams of the client connection {@code connection} may have waiting for it. */
    public static void install(Channel connection, int highWaterMark) {
        connection.attr(KEY).set(new ConnectionBuffer(connection, highWaterMark));
    }

    /** The buffer of the connection that {@code stream} belongs to; null for an HTTP/1.1 connection. */
    static @Nullable ConnectionBuffer of(Channel stream) {
        // an HTTP/1.1 connection's parent is the listening socket, which has no buffer
        Channel connection = stream instanceof Http2StreamChannel ? stream.parent() : null;
        return connection == null ? null : connection.attr(KEY).get();
    }

    /** As {@link #of}, counting the stream's writes from now on. */
    static @Nullable ConnectionBuffer counting(Channel stream) {
        ConnectionBuffer buffer = of(stream);
        if (buffer != null && stream.pipeline().get(COUNTER) == null) {
            try {
                stream.pipeline().addFirst(COUNTER, buffer.new Counter());
            } catch (IllegalArgumentException raced) {
                // another response of the same stream added it first
            }
        }
        return buffer;
    }

    /** Whether the connection takes more data; exact on the event loop, a hint elsewhere. */
    boolean open() {
        return !full;
    }

    /** On the event loop: {@code waiter} goes on once the connection is below its low-water mark. */
    void await(ClientWritability.Waiter waiter) {
        waiting.add(waiter);
    }

    void forget(ClientWritability.Waiter waiter) {
        waiting.remove(waiter);
    }

    /**
     * On the event loop, as the stream goes: its waits end now, before the stream's operations see it go, so that
     * the write that follows fails and ends the body.
     */
    void release(Channel stream) {
        List<ClientWritability.Waiter> gone = waiting.stream().filter(w -> w.client() == stream).toList();
        waiting.removeAll(gone);
        gone.forEach(ClientWritability.Waiter::retry);
    }

    private void add(long bytes) {
        pending += bytes;
        if (pending >= high) {
            full = true;
        }
    }

    private void remove(long bytes) {
        pending -= bytes;
        if (full && pending <= low) {
            full = false;
            List<ClientWritability.Waiter> ready = new ArrayList<>(waiting);
            waiting.clear();
            // not from within the write that completed: the codec may be in the middle of its flow controller
            connection.eventLoop().execute(() -> ready.forEach(ClientWritability.Waiter::retry));
        }
    }

    /** First in a stream's pipeline, so it sees every write as it leaves for the connection, and its completion. */
    private final class Counter extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            long bytes = msg instanceof ByteBufHolder holder ? holder.content().readableBytes()
                    : msg instanceof ByteBuf buf ? buf.readableBytes() : 0;
            if (bytes == 0) {
                ctx.write(msg, promise);
                return;
            }
            add(bytes);
            // completed (or failed, when the stream or connection goes) once the socket took it
            ChannelPromise counted = promise.unvoid();
            counted.addListener(done -> remove(bytes));
            ctx.write(msg, counted);
        }
    }
}
