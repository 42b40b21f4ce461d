package io.meshgate.gateway.proxy;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AttributeKey;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * Notes on the connection that the client's request body failed to decode (a malformed chunk size, a bad chunk
 * trailer): Netty's HTTP decoder then hands on an empty last content marked as a failure, which reactor-netty
 * answers with 400 and then ends the request body as if it were complete. {@link DownstreamBody} reads this note so
 * that the upstream request is reset instead of finished. The note is cleared when the next request starts on the
 * connection. It sits right after the HTTP/1.1 codec.
 */
@ChannelHandler.Sharable
public final class BodyDecodeWatcher extends ChannelInboundHandlerAdapter {

    static final AttributeKey<Throwable> FAILURE = AttributeKey.valueOf("meshgate.bodyDecodeFailure");
    private static final String NAME = "meshgate.bodyDecodeWatcher";
    static final BodyDecodeWatcher INSTANCE = new BodyDecodeWatcher();

    private BodyDecodeWatcher() {
    }

    /** Adds the watcher to a connection that has an HTTP/1.1 codec (not to HTTP/2 streams, reset by the codec). */
    public static void install(Connection connection) {
        ChannelPipeline pipeline = connection.channel().pipeline();
        // the codec's name varies (with h2c it is Netty's own), reactor-netty's traffic handler always follows it
        if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null && pipeline.get(NAME) == null) {
            pipeline.addBefore(NettyPipeline.HttpTrafficHandler, NAME, INSTANCE);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            // a new request on the connection: an earlier body's failure is not this one's, whether or not the
            // connection was kept after it
            ctx.channel().attr(FAILURE).set(null);
        }
        if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
            ctx.channel().attr(FAILURE).set(content.decoderResult().cause());
        }
        ctx.fireChannelRead(msg);
    }
}
