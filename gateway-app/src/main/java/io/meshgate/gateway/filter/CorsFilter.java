package io.meshgate.gateway.filter;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.CorsPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.match.MatchResult;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code corsPolicy}, as Envoy's CORS filter applies it to the route the request matched.
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with non-empty {@code Origin} and {@code Access-Control-Request-Method}) from
 *       an allowed origin is answered here with 200 and the policy's headers, and not forwarded.</li>
 *   <li>A preflight from another origin is forwarded unchanged ({@code unmatchedPreflights: FORWARD}, the default)
 *       or answered with 200 without {@code Access-Control-Allow-Origin} ({@code IGNORE}).</li>
 *   <li>Any other request from an allowed origin is forwarded and its answer gets {@code Access-Control-Allow-Origin},
 *       {@code -Allow-Credentials} and {@code -Expose-Headers}; one from another origin is left alone.</li>
 * </ul>
 *
 * <p>It runs right after routing, before faults, as Envoy's CORS filter comes before its fault filter. Every
 * preflight it does not answer is forwarded like any other request.
 */
public final class CorsFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.CORS.order();

    private static final String IGNORE = "IGNORE";

    private final CorsOrigins origins = new CorsOrigins();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null) {
            return chain.filter(exchange);
        }
        Optional<CorsPolicy> policy = match.route().policies().cors();
        String origin = exchange.getRequest().getHeaders().getOrigin();
        if (policy.isEmpty() || origin == null || origin.isEmpty()) {
            return chain.filter(exchange);
        }
        CorsPolicy cors = policy.get();
        boolean allowed = origins.allows(cors.allowOrigins(), origin);
        if (isPreflight(exchange.getRequest())) {
            if (allowed || IGNORE.equals(cors.unmatchedPreflights())) {
                return answerPreflight(exchange, cors, allowed ? origin : null);
            }
            return chain.filter(exchange);
        }
        if (allowed) {
            ServerHttpResponse response = exchange.getResponse();
            response.beforeCommit(() -> {
                CorsHeaders.actual(cors, origin, response.getHeaders());
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    /** Envoy's test: a non-empty request method (the non-empty origin is checked before). */
    private static boolean isPreflight(ServerHttpRequest request) {
        String method = request.getHeaders().getFirst(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
        return request.getMethod() == HttpMethod.OPTIONS && method != null && !method.isEmpty();
    }

    private static Mono<Void> answerPreflight(ServerWebExchange exchange, CorsPolicy cors,
            @Nullable String allowedOrigin) {
        CorsHeaders.preflight(cors, allowedOrigin, exchange.getRequest().getHeaders(),
                exchange.getResponse().getHeaders());
        return LocalResponses.respond(exchange, 200, "", "");
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.policies().cors().isPresent();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "CorsFilter{order=" + ORDER + "}";
    }
}
