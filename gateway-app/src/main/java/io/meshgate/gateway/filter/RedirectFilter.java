package io.meshgate.gateway.filter;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.RedirectLocation;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RequestView;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code redirect}: answers with the rule's redirect code and a {@code Location} built from the request as it
 * was routed, after the rule's CORS, rate limit, fault and header policies (its place is that of the direct
 * response: a rule has one action). A 100 % abort on a redirect rule therefore aborts, as in Envoy.
 */
public final class RedirectFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.LOCAL_ANSWER.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        StreamInfo info = StreamInfo.of(exchange);
        MatchResult.Matched match = info.match();
        RequestView request = info.request();
        if (match == null || request == null || !(match.route().action() instanceof RouteAction.Redirect redirect)) {
            return chain.filter(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(redirect.code()));
        exchange.getResponse().getHeaders().set(HttpHeaders.LOCATION, RedirectLocation.of(redirect, request));
        return exchange.getResponse().setComplete();
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Redirect;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
