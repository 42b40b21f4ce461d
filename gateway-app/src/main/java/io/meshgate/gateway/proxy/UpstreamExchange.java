package io.meshgate.gateway.proxy;

import io.meshgate.gateway.route.StreamInfo;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The upstream response of one request's last try, in its {@link StreamInfo}: the response whose headers arrived and
 * the connection its body is still to be read from, set by the proxy for the filters after it and for
 * {@link ResponseWriteFilter}; and how to let go of it when the try's answer is not the one the client gets.
 */
public final class UpstreamExchange {

    /**
     * How long a discarded body may take to arrive before its connection is closed instead. Reading it to the end
     * lets the connection go back to the pool; a body that is slow or endless is not worth waiting for.
     */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(1);

    private UpstreamExchange() {
    }

    static void received(ServerWebExchange exchange, HttpClientResponse response, Connection connection) {
        StreamInfo.of(exchange).upstreamResponse(response, connection);
    }

    /** The upstream response whose headers arrived for the last try, if one did and was not discarded. */
    public static @Nullable HttpClientResponse response(ServerWebExchange exchange) {
        return StreamInfo.of(exchange).upstreamResponse();
    }

    static @Nullable Connection connection(ServerWebExchange exchange) {
        return StreamInfo.of(exchange).upstreamConnection();
    }

    /**
     * Forgets the proxied response, so that neither its headers nor its body reach the client and the next try can
     * go upstream: removes the headers it added (while the response is not committed) and drains its body in the
     * background, releasing its buffers.
     */
    public static void discard(ServerWebExchange exchange) {
        StreamInfo info = StreamInfo.of(exchange);
        Connection connection = info.upstreamConnection();
        HttpClientResponse response = info.upstreamResponse();
        info.upstreamResponse(null, null);
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
        StreamInfo info = StreamInfo.of(exchange);
        Connection connection = info.upstreamConnection();
        HttpClientResponse response = info.upstreamResponse();
        info.upstreamResponse(null, null);
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
