package io.meshgate.gateway.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's stream idle timeout for one HTTP/2 stream (over HTTP/1.1 {@link ConnectionGuard} keeps it): when neither a
 * byte from the client arrives nor any of the response leaves for it (writes are observed as they drain, so a
 * response stuck behind a client that does not read counts as no progress) for the timeout, the stream is reset
 * with RST_STREAM and its buffers are released with it.
 */
final class StreamIdleHandler extends IdleStateHandler {

    static final String NAME = "meshgate.streamIdle";

    StreamIdleHandler(long timeoutNanos) {
        super(true, 0, 0, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.close();
    }
}
