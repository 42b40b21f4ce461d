package io.meshgate.gateway.route;

import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.MatchResult;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Routes every request with the translator's indexed matcher, on the configuration live when it arrived. No route
 * answers 404 (400 without a Host) and redirects are answered here; every other request goes on to Spring Cloud
 * Gateway's single Istio route with the match in its attributes.
 */
public final class IstioRoutingWebFilter implements WebFilter, Ordered {

    /** Right after metrics, which must see every answer. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final ConfigRunner runner;
    private final BoundPorts ports;

    public IstioRoutingWebFilter(ConfigRunner runner, BoundPorts ports) {
        this.runner = runner;
        this.ports = ports;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        Optional<Integer> gatewayPort = local == null ? Optional.empty() : ports.gatewayPort(local.getPort());
        if (gatewayPort.isEmpty()) {
            // the management server shares these filters; its requests are not gateway traffic
            return chain.filter(exchange);
        }
        LiveConfig config = runner.current();
        exchange.getAttributes().put(IstioAttributes.CONFIG, config);
        ExchangeRequestView request = new ExchangeRequestView(exchange.getRequest(), gatewayPort.get());
        String authority = request.authority();
        if (authority != null && !authority.isEmpty() && !AuthoritySyntax.isValid(authority)) {
            return LocalResponses.respond(exchange, 400, "", "");
        }
        MatchResult result = config.matcher().match(request);
        if (result instanceof MatchResult.NotMatched miss) {
            return LocalResponses.respond(exchange, miss.reason().status(), "", "NR");
        }
        MatchResult.Matched matched = (MatchResult.Matched) result;
        exchange.getAttributes().put(IstioAttributes.MATCH, matched);
        RouteAction action = matched.route().action();
        if (action instanceof RouteAction.Redirect redirect) {
            exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(redirect.code()));
            exchange.getResponse().getHeaders().set(HttpHeaders.LOCATION, RedirectLocation.of(redirect, request));
            return exchange.getResponse().setComplete();
        }
        // forward and direct responses go on through the fault and header filters
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
