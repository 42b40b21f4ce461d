package io.meshgate.gateway.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.NettyPipeline;

/**
 * Passes an upstream's trailers on to the client at the end of the response body: on HTTP/2 as the closing HEADERS
 * frame (where gRPC keeps its {@code grpc-status}), on HTTP/1.1 in the last chunk of a chunked body. reactor-netty's
 * own trailer support sends only names declared beforehand in a {@code Trailer} header, which a proxy cannot know
 * when it sends the response headers; so the trailers are put on the response's channel and this handler adds them
 * to the last content reactor-netty writes. A body sent with a {@code content-length} cannot carry trailers, and
 * its encoder leaves them out.
 */
@ChannelHandler.Sharable
final class ResponseTrailers extends ChannelOutboundHandlerAdapter {

    private static final String NAME = "meshgate.responseTrailers";
    private static final AttributeKey<HttpHeaders> PENDING = AttributeKey.valueOf(NAME);
    private static final ResponseTrailers INSTANCE = new ResponseTrailers();

    private ResponseTrailers() {
    }

    /**
     * Makes the next last content written on the response's channel (the stream's channel on HTTP/2) carry these
     * trailers. Call it after the body and before the response ends.
     */
    static void attach(Channel channel, HttpHeaders trailers) {
        if (trailers.isEmpty()) {
            return;
        }
        if (channel.pipeline().get(NAME) == null) {
            if (channel.pipeline().get(NettyPipeline.ReactiveBridge) == null) {
                return;
            }
            channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, NAME, INSTANCE);
        }
        channel.attr(PENDING).set(trailers);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent last) {
            HttpHeaders trailers = ctx.channel().attr(PENDING).getAndSet(null);
            if (trailers != null) {
                LastHttpContent withTrailers = new DefaultLastHttpContent(last.content().retain());
                withTrailers.trailingHeaders().set(last.trailingHeaders()).add(trailers);
                ReferenceCountUtil.release(last);
                ctx.write(withTrailers, promise);
                return;
            }
        }
        ctx.write(msg, promise);
    }
}
