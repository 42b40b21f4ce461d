package io.meshgate.gateway.filter;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.MatchResult;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Istio's {@code directResponse}: answers with the rule's status and body, after its fault and header policies. */
public final class DirectResponseFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.LOCAL_ANSWER.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match != null && match.route().action() instanceof RouteAction.DirectResponse direct) {
            return LocalResponses.respond(exchange, direct.status(), direct.body().orElse(""), "");
        }
        return chain.filter(exchange);
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.DirectResponse;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
