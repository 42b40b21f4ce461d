package io.meshgate.gateway.passthrough;

import io.meshgate.gateway.telemetry.IstioTcpMetrics;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import org.jspecify.annotations.Nullable;

/**
 * One relayed connection: the client's channel and the backend's, closed together once either fails or closes, or
 * once both have finished sending. Both channels run on the client's event loop, so its state needs no locking.
 */
final class RelayedConnection {

    private final Channel client;
    private @Nullable Channel backend;
    private IstioTcpMetrics.@Nullable Meters meters;
    private int inputsShutDown;
    private boolean closed;

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

    void relayed(boolean fromClient, int bytes) {
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
