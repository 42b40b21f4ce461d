package io.meshgate.gateway.filter;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.match.MatchResult;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The rule's {@code headers}: request operations before forwarding, response operations before the answer goes. */
public final class HeaderPolicyFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.HEADERS.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || match.route().policies().headers().isEmpty()) {
            return chain.filter(exchange);
        }
        return chain.filter(apply(match.route().policies().headers(), exchange));
    }

    /** Applies a header policy to the exchange; the response part runs when the response is committed. */
    static ServerWebExchange apply(HeaderPolicy policy, ServerWebExchange exchange) {
        if (!policy.response().isEmpty()) {
            exchange.getResponse().beforeCommit(() -> {
                HeaderOperationsApplier.apply(policy.response(), exchange.getResponse().getHeaders());
                return Mono.empty();
            });
        }
        if (policy.request().isEmpty()) {
            return exchange;
        }
        return exchange.mutate()
                .request(r -> r.headers(h -> HeaderOperationsApplier.apply(policy.request(), h)))
                .build();
    }

    @Override
    public boolean appliesTo(Route route) {
        return !route.policies().headers().isEmpty();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
