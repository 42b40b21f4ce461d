package io.meshgate.gateway.proxy;

import io.meshgate.gateway.listener.ServerConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The client's request body as the upstream request sends it. A body that reactor-netty ends although the client
 * never sent its end ends in a {@link ClientBodyException} instead of completing, so that the upstream connection is
 * closed without the last chunk and the backend never sees a complete request:
 * <ul>
 *   <li>the client's bytes failed to decode ({@link BodyDecodeWatcher} noted it on the connection, before
 *       reactor-netty answered 400 and ended the body as complete);
 *   <li>the server side of the exchange was disposed before the gateway committed a response: reactor-netty ended
 *       the exchange by itself (the decode failure came before this body was read, or the client went away);
 *   <li>the body itself failed (the client closed the connection before the body's end).
 * </ul>
 * An HTTP/1.1 request without Content-Length and Transfer-Encoding (or with Content-Length 0) has no body: it passes
 * as it is.
 */
final class DownstreamBody {

    private DownstreamBody() {
    }

    static Flux<ByteBuf> of(ServerWebExchange exchange) {
        Flux<ByteBuf> body = exchange.getRequest().getBody().map(NettyDataBufferFactory::toByteBuf);
        Connection server = ServerConnection.of(exchange.getRequest());
        if (server == null) {
            return body;
        }
        // taken now: once the exchange is disposed, the connection no longer knows its channel
        Channel channel = server.channel();
        if (!(channel instanceof Http2StreamChannel) && hasNoBody(exchange.getRequest().getHeaders())) {
            // HTTP/1.1 framing says there is no body (RFC 9112 §6.3): nothing can fail to decode or be cut short,
            // and the upstream request is complete as it is
            return body;
        }
        return body.onErrorMap(error -> !(error instanceof ClientBodyException),
                        error -> new ClientBodyException("the client's request body failed: " + error, false))
                .concatWith(Mono.defer(() -> {
                    Throwable failure = channel.attr(BodyDecodeWatcher.FAILURE).get();
                    if (failure != null) {
                        return Mono.error(new ClientBodyException("the client's request body did not decode: "
                                + failure.getMessage(), true));
                    }
                    if (server.isDisposed() && !exchange.getResponse().isCommitted()) {
                        // in practice a decode failure that came before the body was subscribed
                        return Mono.error(new ClientBodyException("the client's exchange ended before its body",
                                true));
                    }
                    return Mono.empty();
                }));
    }

    private static boolean hasNoBody(HttpHeaders headers) {
        return headers.getContentLength() <= 0 && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING);
    }
}
