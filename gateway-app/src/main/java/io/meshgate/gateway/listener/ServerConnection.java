package io.meshgate.gateway.listener;

import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import reactor.netty.Connection;

/**
 * The reactor-netty connection under a listener's request: the one place that unwraps Spring's request to the
 * client's connection (its channel, its raw request) for the checks that need what Spring does not show.
 */
public final class ServerConnection {

    private ServerConnection() {
    }

    /** The request's reactor-netty connection, or null for a request that does not come from a listener. */
    public static @Nullable Connection of(ServerHttpRequest request) {
        try {
            return ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection
                    ? connection : null;
        } catch (IllegalArgumentException notNetty) {
            return null;
        }
    }
}
