package io.meshgate.gateway.route;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * One request's walk through a compiled chain: each filter gets the chain of the filters after it. As in Spring
 * Cloud Gateway, a filter runs when the chain's {@code Mono} is subscribed, not when it is assembled, so a filter that
 * delays the rest of the chain (a fault delay, a retry back-off) also delays what the filters after it do first.
 */
final class FilterChain implements GatewayFilterChain {

    private final GlobalFilter[] filters;
    private final int index;

    FilterChain(GlobalFilter[] filters, int index) {
        this.filters = filters;
        this.index = index;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange) {
        if (index == filters.length) {
            return Mono.empty();
        }
        return Mono.defer(() -> filters[index].filter(exchange, new FilterChain(filters, index + 1)));
    }
}
