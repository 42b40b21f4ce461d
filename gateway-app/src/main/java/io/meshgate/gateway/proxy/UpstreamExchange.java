package io.meshgate.gateway.proxy;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The upstream side of one request, kept in exchange attributes: which endpoint to send to and which try this is,
 * set by the filters before the proxy; the response whose headers arrived and the connection its body is still to
 * be read from, set by the proxy for the filters after it and for {@link ResponseWriteFilter}.
 */
public final class UpstreamExchange {

    /** The endpoint {@code address:port} to send to. */
    public static final String UPSTREAM_HOST = "meshgate.upstreamHost";
    /** The destination's {@link io.meshgate.translator.ir.ClientTls} when requests to it go over TLS. */
    public static final String UPSTREAM_TLS = "meshgate.upstreamTls";
    /**
     * Present ({@link Boolean#TRUE}) when the destination speaks HTTP/2: its service port protocol is {@code HTTP2},
     * {@code GRPC} or {@code GRPC-WEB}, as Istio decides it. Otherwise requests go as HTTP/1.1.
     */
    public static final String UPSTREAM_HTTP2 = "meshgate.upstreamHttp2";
    /** The destination's DestinationRule {@link io.meshgate.translator.ir.ConnectionPool}, when it has one. */
    public static final String UPSTREAM_POOL = "meshgate.upstreamPool";
    /** The number of the try ({@link Integer}), 1 for the first; absent when the request is tried once. */
    public static final String ATTEMPT = "meshgate.attempt";
    private static final String RESPONSE = "meshgate.upstreamResponse";
    private static final String CONNECTION = "meshgate.upstreamConnection";

    /**
     * How long a discarded body may take to arrive before its connection is closed instead. Reading it to the end
     * lets the connection go back to the pool; a body that is slow or endless is not worth waiting for.
     */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(1);

    private UpstreamExchange() {
    }

    static void received(ServerWebExchange exchange, HttpClientResponse response, Connection connection) {
        exchange.getAttributes().put(RESPONSE, response);
        exchange.getAttributes().put(CONNECTION, connection);
    }

    /** The upstream response whose headers arrived for the last try, if one did and was not discarded. */
    public static @Nullable HttpClientResponse response(ServerWebExchange exchange) {
        return exchange.getAttribute(RESPONSE);
    }

    static @Nullable Connection connection(ServerWebExchange exchange) {
        return exchange.getAttribute(CONNECTION);
    }

    /**
     * Forgets the proxied response, so that neither its headers nor its body reach the client and the next try can
     * go upstream: removes the headers it added (while the response is not committed) and drains its body in the
     * background, releasing its buffers.
     */
    public static void discard(ServerWebExchange exchange) {
        Connection connection = exchange.getAttribute(CONNECTION);
        HttpClientResponse response = exchange.getAttribute(RESPONSE);
        exchange.getAttributes().remove(CONNECTION);
        exchange.getAttributes().remove(RESPONSE);
        removeHeaders(exchange, response);
        if (connection != null) {
            // receive() releases each buffer once it is passed on; nothing retains them
            connection.inbound().receive().then()
                    .timeout(DRAIN_LIMIT)
                    .subscribe(done -> { }, error -> connection.dispose());
        }
    }

    /**
     * Forgets the proxied response and closes its connection instead of reading its body, as when the client went
     * away or the upstream failed: its headers are removed while the response is not committed.
     */
    static void abandon(ServerWebExchange exchange) {
        Connection connection = exchange.getAttribute(CONNECTION);
        HttpClientResponse response = exchange.getAttribute(RESPONSE);
        exchange.getAttributes().remove(CONNECTION);
        exchange.getAttributes().remove(RESPONSE);
        removeHeaders(exchange, response);
        if (connection != null && !connection.isDisposed()) {
            connection.dispose();
        }
    }

    private static void removeHeaders(ServerWebExchange exchange, @Nullable HttpClientResponse response) {
        if (response != null && !exchange.getResponse().isCommitted()) {
            for (String name : response.responseHeaders().names()) {
                exchange.getResponse().getHeaders().remove(name);
            }
        }
    }
}
