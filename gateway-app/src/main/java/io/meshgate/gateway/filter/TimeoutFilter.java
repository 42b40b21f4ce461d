package io.meshgate.gateway.filter;

import io.meshgate.gateway.proxy.ResponseWriteFilter;
import io.meshgate.gateway.proxy.UpstreamExchange;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.MatchResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's route {@code timeout}: the whole upstream exchange, every try and back-off and the streaming of the
 * response body included, must end within it. The clock starts when the first try begins (see
 * {@link RouteDeadline}). When it runs out before the response started, the tries are cancelled and the client gets
 * 504 {@code upstream request timeout} with response flag UT. When the response had started, its stream is cut with
 * an error, as Envoy resets it, so that the client cannot mistake a truncated body for a whole one.
 *
 * <p>Ordered around the response write filter, which streams the body after the proxy filter returns.
 * WebSocket upgrades are left alone: their chain lasts as long as the session, which a request timeout must not cut.
 */
public final class TimeoutFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.TIMEOUT.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Optional<Duration> timeout = routeTimeout(exchange);
        if (timeout.isEmpty()) {
            return chain.filter(exchange);
        }
        RouteDeadline deadline = new RouteDeadline(timeout.get());
        exchange.getAttributes().put(RouteDeadline.ATTRIBUTE, deadline);
        return chain.filter(exchange)
                .timeout(deadline.expired(), Mono.defer(() -> timedOut(exchange, deadline)))
                .doFinally(signal -> deadline.cancel());
    }

    private static Optional<Duration> routeTimeout(ServerWebExchange exchange) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || !(match.route().action() instanceof RouteAction.Forward) || isUpgrade(exchange)) {
            return Optional.empty();
        }
        return match.route().policies().timeout();
    }

    /** Whether the request asks for a WebSocket, which Spring Cloud Gateway proxies for the session's lifetime. */
    static boolean isUpgrade(ServerWebExchange exchange) {
        return "websocket".equalsIgnoreCase(exchange.getRequest().getHeaders().getUpgrade());
    }

    private static Mono<Void> timedOut(ServerWebExchange exchange, RouteDeadline deadline) {
        if (exchange.getResponse().isCommitted()) {
            StreamInfo.of(exchange).flag("UT");
            return Mono.error(new TimeoutException("upstream request timeout after " + deadline.timeout()
                    + " with the response under way"));
        }
        UpstreamExchange.discard(exchange);
        return LocalResponses.respond(exchange, 504, "upstream request timeout", "UT");
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Forward && route.policies().timeout().isPresent();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "TimeoutFilter{order=" + ORDER + "}";
    }
}
