package io.meshgate.gateway.passthrough;

import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One relayed connection: the client's channel and the backend's, closed together once either fails or closes, or
 * once both have finished sending, or once it has been idle too long. Both channels run on the client's event loop,
 * so its state needs no locking.
 */
final class RelayedConnection {

    private final Channel client;
    private @Nullable Channel backend;
    private IstioTcpMetrics.@Nullable Meters meters;
    private final List<Runnable> onClose = new ArrayList<>(2);
    private int inputsShutDown;
    private boolean closed;
    private long lastActivity = System.nanoTime();
    private @Nullable ScheduledFuture<?> idleCheck;

    RelayedConnection(Channel client) {
        this.client = client;
    }

    /** The backend is connected: the connection counts as opened. */
    void opened(Channel backend, IstioTcpMetrics.Meters meters) {
        this.meters = meters;
        meters.opened().increment();
        if (closed) {
            // the client left while the backend connected
            meters.closed().increment();
            backend.close();
            return;
        }
        this.backend = backend;
    }

    /** The connection could not be opened; its metrics say why. */
    void failed(IstioTcpMetrics.Meters meters) {
        this.meters = meters;
        meters.opened().increment();
        if (closed) {
            meters.closed().increment();
        }
        close();
    }

    /** Runs {@code action} once the connection is closed (at once, when it already is). */
    void onClose(Runnable action) {
        if (closed) {
            action.run();
        } else {
            onClose.add(action);
        }
    }

    /**
     * Closes the connection once no byte has gone either way for {@code timeout} (Istio's
     * {@code connectionPool.tcp.idleTimeout}); zero never closes it.
     */
    void idleTimeout(Duration timeout) {
        if (!timeout.isZero() && !closed) {
            lastActivity = System.nanoTime();
            checkIdle(timeout.toNanos(), timeout.toNanos());
        }
    }

    private void checkIdle(long timeoutNanos, long delayNanos) {
        idleCheck = client.eventLoop().schedule(() -> {
            long idle = System.nanoTime() - lastActivity;
            if (closed) {
                return;
            }
            if (idle >= timeoutNanos) {
                close();
            } else {
                checkIdle(timeoutNanos, timeoutNanos - idle);
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    void relayed(boolean fromClient, int bytes) {
        lastActivity = System.nanoTime();
        if (meters != null && bytes > 0) {
            (fromClient ? meters.received() : meters.sent()).increment(bytes);
        }
    }

    /** One side finished sending (its half-close went on to the other); when both have, the connection is over. */
    void inputShutDown() {

        if (++inputsShutDown == 2) {
            close();
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both sides, after what is already written to each has been flushed. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        onClose.forEach(Runnable::run);
        onClose.clear();
        if (meters != null) {
            meters.closed().increment();
        }
        flushAndClose(client);
        if (backend != null) {
            flushAndClose(backend);
        }
    }

    private static void flushAndClose(Channel channel) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}
