package io.meshgate.gateway.route;

import io.meshgate.gateway.listener.BoundPorts;
import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.tls.HandshakeServer;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.PathNormalization;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * The listeners' request handler. Every request is routed with the translator's indexed matcher, on the
 * configuration live when it arrived, once {@link RequestSyntax} found it well formed: no route answers 404, a
 * request on a TLS connection reaches only the hosts of its handshake's server ({@link ServerScope}), redirects are
 * answered here, and every other request goes through the compiled filter chain of its route ({@link RouteChains}),
 * which ends in the proxy. There is no route table to scan and no dispatcher in between.
 */
public final class IstioWebHandler implements WebHandler {

    private final ConfigRunner runner;
    private final BoundPorts ports;
    private final RouteChains chains;
    private final RequestSyntax syntax;
    private final PathNormalization pathNormalization;

    /**
     * The handler, refusing requests with more than {@code maxHeadersCount} header fields and normalizing paths
     * as {@code pathNormalization} says.
     */
    public IstioWebHandler(ConfigRunner runner, BoundPorts ports, RouteChains chains, int maxHeadersCount,
            PathNormalization pathNormalization) {
        this.runner = runner;
        this.ports = ports;
        this.chains = chains;
        this.syntax = new RequestSyntax(maxHeadersCount);
        this.pathNormalization = pathNormalization;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        return Mono.defer(() -> syntax.check(exchange, this::normalizeThenRoute));
    }

    /** Normalized once, before routing: everything after sees (and forwards) the normalized path. */
    private Mono<Void> normalizeThenRoute(ServerWebExchange exchange) {
        ServerWebExchange normalized = NormalizedPath.of(exchange, pathNormalization);
        return normalized == null ? LocalResponses.respond(exchange, 400, "", "") : route(normalized);
    }

    private Mono<Void> route(ServerWebExchange exchange) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        Optional<Integer> gatewayPort = local == null ? Optional.empty() : ports.gatewayPort(local.getPort());
        if (gatewayPort.isEmpty()) {
            // a listener closed by a configuration change while this connection was still open
            return LocalResponses.respond(exchange, 404, "", "NR");
        }
        LiveConfig config = runner.current();
        StreamInfo info = StreamInfo.of(exchange);
        info.config(config);
        HandshakeServer handshake = ServerScope.of(exchange);
        ExchangeRequestView request = new ExchangeRequestView(exchange.getRequest(), gatewayPort.get(),
                handshake == null ? null : handshake.server());
        String authority = request.authority();
        if (authority != null && !authority.isEmpty() && !AuthoritySyntax.isValid(authority)) {
            return LocalResponses.respond(exchange, 400, "", "");
        }
        MatchResult result = config.matcher().match(request);
        Mono<Void> refused = ServerScope.refusal(exchange, request, handshake, result);
        if (refused != null) {
            return refused;
        }
        if (result instanceof MatchResult.NotMatched miss) {
            return LocalResponses.respond(exchange, miss.reason().status(), "", "NR");
        }
        MatchResult.Matched matched = (MatchResult.Matched) result;
        info.match(matched, request);
        if (requiresTls(matched) && !"https".equals(request.scheme())) {
            return redirectToHttps(exchange, request);
        }
        // a redirect or a direct response is answered by its filter, after the policies of its rule (CORS, rate
        // limits, faults, headers), as Envoy's router answers them after the HTTP filters
        return new FilterChain(chains.chain(config, matched.route()), 0).filter(exchange);
    }

    /** Whether the server exposing the matched host says {@code tls.httpsRedirect}. */
    private static boolean requiresTls(MatchResult.Matched matched) {
        Listener listener = matched.listener();
        if (listener == null) {
            return false;
        }
        for (Server server : listener.servers()) {
            if (server.name().equals(matched.virtualHost().server())) {
                return server.tls().map(ServerTls::httpsRedirect).orElse(false);
            }
        }
        return false;
    }

    /** Envoy's {@code require_tls}: 301 to the same host (default https port), path and query. */
    private static Mono<Void> redirectToHttps(ServerWebExchange exchange, ExchangeRequestView request) {
        String authority = request.authority() == null ? "" : request.authority();
        String host = RedirectLocation.hostOf(authority);
        String query = request.query().isEmpty() ? "" : "?" + request.query();
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(301));
        exchange.getResponse().getHeaders().set(HttpHeaders.LOCATION, "https://" + host + request.path() + query);
        return exchange.getResponse().setComplete();
    }
}
