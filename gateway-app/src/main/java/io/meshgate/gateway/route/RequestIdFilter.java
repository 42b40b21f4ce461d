package io.meshgate.gateway.route;

import java.util.UUID;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Envoy's {@code x-request-id}: kept when the client sent one, generated (a UUID) when it did not, and passed to
 * the backend so that logs on both sides correlate.
 */
public final class RequestIdFilter implements GlobalFilter, Ordered {

    public static final String HEADER = "x-request-id";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        if (exchange.getRequest().getHeaders().containsHeader(HEADER)) {
            return chain.filter(exchange);
        }
        String id = UUID.randomUUID().toString();
        return chain.filter(exchange.mutate().request(r -> r.header(HEADER, id)).build());
    }

    @Override
    public int getOrder() {
        return 50;
    }
}
