package io.meshgate.gateway.filter;

import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Lets CORS preflight requests through to the backend, as Envoy forwards every preflight its CORS filter does not
 * answer. Spring WebFlux's dispatcher answers any request it takes for a preflight ({@code OPTIONS} with
 * {@code Origin} and {@code Access-Control-Request-Method}) itself and never calls a handler, so Spring Cloud
 * Gateway would never proxy one. {@link #hide} therefore takes {@code Access-Control-Request-Method} out of the
 * request before the dispatcher sees it, and this filter, the first of the gateway's filters, puts it back: the
 * backend gets the request as the client sent it.
 */
public final class PreflightPassThrough implements GlobalFilter, Ordered {

    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private static final String HIDDEN = "meshgate.hiddenPreflightMethod";

    /** The exchange to pass on to the dispatcher: unchanged, or without the preflight header if it is one. */
    static ServerWebExchange hide(ServerWebExchange exchange) {
        if (!CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            return exchange;
        }
        List<String> methods = exchange.getRequest().getHeaders().get(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        exchange.getAttributes().put(HIDDEN, methods == null ? List.of() : List.copyOf(methods));
        return exchange.mutate()
                .request(r -> r.headers(h -> h.remove(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)))
                .build();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        List<String> hidden = exchange.getAttribute(HIDDEN);
        if (hidden == null) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(r -> r.headers(h -> h.put(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, hidden)))
                .build());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "PreflightPassThrough{order=" + ORDER + "}";
    }
}
