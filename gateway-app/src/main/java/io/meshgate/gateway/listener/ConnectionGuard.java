package io.meshgate.gateway.listener;

import io.meshgate.gateway.LimitsProperties;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The deadlines of one client connection, first in its pipeline so that it sees every byte the client sends: the
 * request headers timeout (from the connection, and for HTTP/1.1 from the first byte of each later request, to the
 * complete header), the idle timeout (no request in flight) and the maximum connection duration. Requests are
 * counted by {@link RequestTracker}; everything runs on the connection's event loop, with one timer set for the
 * nearest deadline. A WebSocket is the request that upgraded the connection, in flight for as long as the
 * WebSocket lives (reactor-netty's WebSocket operations end with the HTTP operations they replace), so neither the
 * headers nor the idle timeout applies to it, as Envoy applies neither to an upgraded stream.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    static final String NAME = "meshgate.connectionGuard";

    private final long headersNanos;
    private final long idleNanos;
    private final long maxAgeNanos;
    private final long openedAt = System.nanoTime();
    private @Nullable ChannelHandlerContext ctx;
    private @Nullable ScheduledFuture<?> timer;
    private long timerAt;
    /** When the request header now awaited must be complete; 0 while none is awaited. */
    private long headersDue;
    /** Since when no request has been in flight. */
    private long idleSince = openedAt;
    private int inFlight;
    private boolean http2;
    private boolean draining;

    ConnectionGuard(LimitsProperties limits) {
        this.headersNanos = limits.requestHeadersTimeout().toNanos();
        this.idleNanos = limits.idleTimeout().toNanos();
        this.maxAgeNanos = limits.maxConnectionDuration().toNanos();
        this.headersDue = headersNanos == 0 ? 0 : openedAt + headersNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        schedule();
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
        // an HTTP/1.1 connection between requests: its next request starts with this byte
        if (!http2 && inFlight == 0 && headersDue == 0 && headersNanos != 0) {
            headersDue = System.nanoTime() + headersNanos;
            schedule();
        }
        ctx.fireChannelRead(msg);
    }

    /** A request's header is complete; returns whether the connection is being drained (no keep-alive). */
    boolean requestStarted(boolean onHttp2Stream) {
        http2 |= onHttp2Stream;
        inFlight++;
        headersDue = 0;
        schedule();
        return draining;
    }

    /** A request and its response are done (or reset). */
    void requestEnded() {
        if (--inFlight > 0) {
            return;
        }
        inFlight = 0;
        idleSince = System.nanoTime();
        if (draining && !http2 && ctx != null) {
            ctx.channel().close();
            return;
        }
        schedule();
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
        if (maxAgeNanos != 0 && !draining && now - openedAt >= maxAgeNanos) {
            draining = true;
            if (http2 || inFlight == 0) {
                context.channel().close();
                return;
            }
        }
        schedule();
    }

    /** Sets the timer for the nearest deadline that applies now. */
    private void schedule() {
        ChannelHandlerContext context = ctx;
        if (context == null) {
            return;
        }
        long next = Long.MAX_VALUE;
        if (headersDue != 0) {
            next = headersDue;
        } else if (inFlight == 0 && idleNanos != 0) {
            next = idleSince + idleNanos;
        }
        if (maxAgeNanos != 0 && !draining) {
            next = earlier(next, openedAt + maxAgeNanos);
        }
        if (next == Long.MAX_VALUE || timer != null && timerAt == next) {
            return;
        }
        cancel();
        timerAt = next;
        timer = context.executor().schedule(this::check, Math.max(0, next - System.nanoTime()),
                TimeUnit.NANOSECONDS);
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
