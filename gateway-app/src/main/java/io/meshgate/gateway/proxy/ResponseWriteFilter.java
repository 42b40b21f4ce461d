package io.meshgate.gateway.proxy;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.GrpcStatus;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.route.UpstreamTarget;
import io.netty.channel.Channel;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Streams the upstream response's body to the client once every filter after this one is done with the response
 * (retries decided, headers changed), then its trailers, if it has any ({@link ResponseTrailers}). gRPC messages,
 * server-sent events and NDJSON are flushed message by message; other bodies as the transport sees fit. A client that goes away closes the upstream connection instead of leaving its body
 * unread; so does an error, which
 * would leave it unread too.
 */
public final class ResponseWriteFilter implements GlobalFilter, Ordered {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.RESPONSE_WRITE.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange)
                .then(Mono.defer(() -> write(exchange)))
                .onErrorResume(error -> failed(exchange, error))
                .doOnError(error -> UpstreamExchange.abandon(exchange))
                .doOnCancel(() -> UpstreamExchange.abandon(exchange));
    }

    /**
     * An upstream that fails after its response headers (it goes silent past the idle timeout, or drops the
     * connection): before the first byte of the body reached the client, the client gets the gateway's answer for
     * the failure instead (504 UT, 503 UC, ...) and none of the upstream's headers; after it, the stream is cut, as
     * Envoy resets it, so that a truncated body cannot pass for a whole one.
     */
    private static Mono<Void> failed(ServerWebExchange exchange, Throwable error) {
        Optional<UpstreamFailure> failure = UpstreamFailure.of(error);
        if (failure.isEmpty()) {
            return Mono.error(error);
        }
        if (exchange.getResponse().isCommitted()) {
            StreamInfo.of(exchange).flag(failure.get().flag());
            return Mono.error(error);
        }
        UpstreamExchange.abandon(exchange);
        return LocalResponses.respond(exchange, failure.get().status(), failure.get().body(), failure.get().flag());
    }

    private static Mono<Void> write(ServerWebExchange exchange) {
        Connection connection = UpstreamExchange.connection(exchange);
        if (connection == null) {
            return Mono.empty();
        }
        ServerHttpResponse response = exchange.getResponse();
        HttpClientResponse upstream = UpstreamExchange.response(exchange);
        if (upstream != null && upstream.responseHeaders().contains("grpc-status")) {
            // a gRPC trailers-only answer (an error): it has no body and must reach the client as headers alone,
            // for a gRPC client reads a status in headers that are followed by more of the stream as a broken call
            return connection.inbound().receive().then().then(Mono.defer(response::setComplete));
        }
        NettyDataBufferFactory factory = (NettyDataBufferFactory) response.bufferFactory();
        Flux<io.netty.buffer.ByteBuf> received = connection.inbound().receive().retain();
        Channel client = clientChannel(response);
        Flux<DataBuffer> body = (client == null ? received
                : ClientWritability.paced(received, client, response.getHeaders().getContentLength()))
                .map(factory::wrap);
        Mono<Void> written = isStreaming(response.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE))
                ? response.writeAndFlushWith(body.map(Flux::just))
                : response.writeWith(body);
        if (upstream == null || !mayHaveTrailers(exchange, upstream)) {
            return written;
        }
        return written.then(Mono.defer(() -> upstream.trailerHeaders()))
                .doOnNext(trailers -> passTrailers(exchange, trailers))
                .then();
    }

    /** The client's channel: its HTTP/1.1 connection or its HTTP/2 stream. */
    private static @Nullable Channel clientChannel(ServerHttpResponse response) {
        Object client = ServerHttpResponseDecorator.getNativeResponse(response);
        return client instanceof Connection connection ? connection.channel() : null;
    }

    /** HTTP/2 responses may end with trailers; HTTP/1.1 ones only when chunked, and they declare them first. */
    private static boolean mayHaveTrailers(ServerWebExchange exchange, HttpClientResponse upstream) {
        UpstreamTarget target = StreamInfo.of(exchange).upstream();
        return target != null && target.http2()
                || upstream.responseHeaders().contains(io.netty.handler.codec.http.HttpHeaderNames.TRAILER);
    }

    private static void passTrailers(ServerWebExchange exchange, io.netty.handler.codec.http.HttpHeaders trailers) {
        String grpcStatus = trailers.get("grpc-status");
        if (grpcStatus != null) {
            StreamInfo.of(exchange).grpcStatusFromTrailers(GrpcStatus.code(grpcStatus));
        }
        HttpServerResponse client = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
        client.withConnection(connection -> ResponseTrailers.attach(connection.channel(), trailers));
    }

    private static boolean isStreaming(@Nullable String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.strip();
        return startsWithIgnoreCase(type, "application/grpc") || startsWithIgnoreCase(type, "text/event-stream") || startsWithIgnoreCase(type, "application/x-ndjson")
                || startsWithIgnoreCase(type, "application/stream+json");
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
