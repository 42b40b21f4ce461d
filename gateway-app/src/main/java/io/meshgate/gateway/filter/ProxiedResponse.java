package io.meshgate.gateway.filter;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR;

import java.time.Duration;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;

/**
 * The upstream response Spring Cloud Gateway's proxy leaves in the exchange for its write filter: status, headers
 * and the connection whose body is still unread. A response that will not reach the client is discarded here, so
 * that neither its headers nor its body are written and its buffers are released.
 */
final class ProxiedResponse {

    /**
     * How long a discarded body may take to arrive before its connection is closed instead. Reading it to the end
     * lets the connection go back to the pool; a body that is slow or endless is not worth waiting for.
     */
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(1);

    private ProxiedResponse() {
    }

    /**
     * Forgets the proxied response: removes the headers it added (while the response is not committed), clears the
     * proxy's attributes so the next try can route again, and drains its body in the background.
     */
    static void discard(ServerWebExchange exchange) {
        // taken out first: the gateway's reset would close the connection instead of letting it be reused
        Object connection = exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
        if (exchange.getResponse().isCommitted()) {
            ServerWebExchangeUtils.removeAlreadyRouted(exchange);
        } else {
            ServerWebExchangeUtils.reset(exchange);
        }
        exchange.getAttributes().remove(CLIENT_RESPONSE_HEADER_NAMES);
        exchange.getAttributes().remove(ORIGINAL_RESPONSE_CONTENT_TYPE_ATTR);
        exchange.getAttributes().remove(CLIENT_RESPONSE_ATTR);
        if (connection instanceof Connection upstream) {
            drain(upstream);
        }
    }

    private static void drain(Connection connection) {
        // receive() releases each buffer once it is passed on; nothing retains them
        connection.inbound().receive().then()
                .timeout(DRAIN_LIMIT)
                .subscribe(done -> { }, error -> connection.dispose());
    }
}
