package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The deadlines of one client connection, first in its pipeline so that it sees every byte the client sends and
 * every byte written to it: the request headers timeout (from the connection, and for HTTP/1.1 from the first byte of
 * each later request, to the complete header), the idle timeout (no request in flight), the maximum connection
 * duration, and over HTTP/1.1 the stream idle timeout of the request in flight (no byte read from the client and none
 * of the response leaving for it; HTTP/2 streams have a {@link StreamIdleHandler} each). Requests are counted by
 * {@link RequestTracker}; everything runs on the connection's event loop.
 *
 * <p>The deadlines move with every request, the timer does not: it is set for the nearest deadline, never later than
 * a headers timeout from now while a request is awaited, and when it fires it closes what is due or sets itself
 * again for what is now nearest. A deadline that moves later costs a field write, so a kept-alive connection
 * serving requests sets no timer per request; only one that moves earlier than the timer resets it.
 *
 * <p>A WebSocket is the request that upgraded the connection, in flight for as long as the WebSocket lives
 * (reactor-netty's WebSocket operations end with the HTTP operations they replace), so neither the headers nor the
 * idle timeout applies to it, and the stream idle timeout does, as Envoy keeps only that for an upgraded stream.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    static final String NAME = "meshgate.connectionGuard";
    /** The guard of a connection, for {@link RequestTracker}: one attribute lookup instead of a pipeline scan. */
    static final AttributeKey<ConnectionGuard> KEY = AttributeKey.valueOf("meshgate.connectionGuard");

    private final long headersNanos;
    private final long idleNanos;
    private final long streamIdleNanos;
    private final long maxAgeNanos;
    private final long openedAt = System.nanoTime();
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ScheduledFuture<?> timer;
    private long timerAt;
    /** When the request header now awaited must be complete; 0 while none is awaited. */
    private long headersDue;
    /** Since when no request has been in flight. */
    private long idleSince = openedAt;
    /** The last byte read from the client or written to it. */
    private long lastActivity = openedAt;
    /**
     * What the outbound buffer looked like at the last check (its current message by identity hash, as Netty's
     * {@code IdleStateHandler} keeps it, so that no written buffer is held here): a response draining is progress.
     */
    private int lastOutboundMessage;
    private long lastOutboundProgress;
    private long lastPendingBytes;
    private int inFlight;
    private boolean http2;
    private boolean draining;

    ConnectionGuard(LimitsProperties limits) {
        this.headersNanos = limits.requestHeadersTimeout().toNanos();
        this.idleNanos = limits.idleTimeout().toNanos();
        this.streamIdleNanos = limits.streamIdleTimeout().toNanos();
        this.maxAgeNanos = limits.maxConnectionDuration().toNanos();
        this.headersDue = headersNanos == 0 ? 0 : openedAt + headersNanos;
    }

    static @Nullable ConnectionGuard of(Channel connection) {
        return connection.attr(KEY).get();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().attr(KEY).set(this);
        schedule(System.nanoTime());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // an HTTP/1.1 connection between requests: its next request starts with this byte; the timer is no later
        // than this deadline (see schedule), so it needs no change
        if (!http2 && inFlight == 0 && headersDue == 0 && headersNanos != 0) {
            headersDue = System.nanoTime() + headersNanos;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        lastActivity = System.nanoTime();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        lastActivity = System.nanoTime();
        ctx.write(msg, promise);
    }

    /** A request's header is complete; returns whether the connection is being drained (no keep-alive). */
    boolean requestStarted(boolean onHttp2Stream) {
        http2 |= onHttp2Stream;
        inFlight++;
        headersDue = 0;
        long now = System.nanoTime();
        lastActivity = now;
        // a field compare while the timer is already due earlier, as it is on a kept-alive connection
        schedule(now);
        return draining;
    }

    /** A request and its response are done (or reset). */
    void requestEnded() {
        if (--inFlight > 0) {
            return;
        }
        inFlight = 0;
        long now = System.nanoTime();
        idleSince = now;
        if (draining && !http2 && ctx != null) {
            ctx.channel().close();
            return;
        }
        schedule(now);
    }

    private void check() {
        timer = null;
        ChannelHandlerContext context = ctx;
        if (context == null || !context.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        if (headersDue != 0 && now - headersDue >= 0) {
            context.channel().close();
            return;
        }
        if (inFlight == 0 && headersDue == 0 && idleNanos != 0 && now - idleSince >= idleNanos) {
            // through the whole pipeline: the HTTP/2 codec sends GOAWAY before it closes
            context.channel().close();
            return;
        }
        if (watchesStream()) {
            if (outputMoved(context.channel())) {
                lastActivity = now;
            }
            if (now - lastActivity >= streamIdleNanos) {
                // an HTTP/1.1 request that made no progress: the connection goes, and its buffers with it
                context.channel().close();
                return;
            }
        }
        if (maxAgeNanos != 0 && !draining && now - openedAt >= maxAgeNanos) {
            draining = true;
            if (http2 || inFlight == 0) {
                context.channel().close();
                return;
            }
        }
        schedule(now);
    }

    private boolean watchesStream() {
        return !http2 && inFlight > 0 && streamIdleNanos != 0;
    }

    /**
     * Whether what waits for the client changed since the last look (as Netty's {@code IdleStateHandler} observes
     * output): a response taken slowly is progress, one stuck behind a client that does not read is not.
     */
    private boolean outputMoved(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        if (buffer == null) {
            return false;
        }
        int message = System.identityHashCode(buffer.current());
        long progress = buffer.currentProgress();
        long pending = buffer.totalPendingWriteBytes();
        boolean moved = message != lastOutboundMessage || progress != lastOutboundProgress
                || pending != lastPendingBytes;
        lastOutboundMessage = message;
        lastOutboundProgress = progress;
        lastPendingBytes = pending;
        return moved;
    }

    /**
     * Makes sure the timer fires no later than the nearest deadline. While a request is awaited the timer is set
     * no later than a headers timeout from now, so that the headers deadline the request's first byte sets (a
     * headers timeout from then) is never earlier than the timer.
     */
    private void schedule(long now) {
        ChannelHandlerContext context = ctx;
        if (context == null) {
            return;
        }
        long next = Long.MAX_VALUE;
        if (headersDue != 0) {
            next = headersDue;
        } else if (inFlight == 0) {
            if (idleNanos != 0) {
                next = idleSince + idleNanos;
            }
            if (!http2 && headersNanos != 0) {
                next = earlier(next, now + headersNanos);
            }
        } else if (watchesStream()) {
            next = lastActivity + streamIdleNanos;
        }
        if (maxAgeNanos != 0 && !draining) {
            next = earlier(next, openedAt + maxAgeNanos);
        }
        if (next == Long.MAX_VALUE || timer != null && timerAt - next <= 0) {
            return;
        }
        cancel();
        timerAt = next;
        timer = context.executor().schedule(this::check, Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    private static long earlier(long a, long b) {
        return a == Long.MAX_VALUE ? b : a - b <= 0 ? a : b;
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
