package io.meshgate.gateway.route;

import io.meshgate.gateway.tls.HandshakeServer;
import io.meshgate.translator.match.MatchResult;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What a request on a TLS connection may reach: only the virtual hosts of the Gateway server whose settings its
 * handshake was made with (Envoy's filter chain picked by SNI, each with its own routes). The matcher restricts the
 * lookup ({@link ExchangeRequestView#server()}); this class answers what it refuses. A host that another server of
 * the port serves gets 404 over HTTP/1.1, as that server's routes answer in Istio, and 421 Misdirected Request over
 * HTTP/2, where a client reuses a connection for every host its certificate covers and 421 tells it to open a new
 * one (RFC 9110 §15.5.20, as the Gateway API's misdirected-request conformance asks).
 */
final class ServerScope {

    private ServerScope() {
    }

    /** The server of a TLS connection's handshake, or null for a plain-text request. */
    static @Nullable HandshakeServer of(ServerWebExchange exchange) {
        return "https".equals(exchange.getRequest().getURI().getScheme()) ? HandshakeServer.of(exchange.getRequest())
                : null;
    }

    /** The answer to a request its connection may not have routed, or null when the match stands. */
    static @Nullable Mono<Void> refusal(ServerWebExchange exchange, ExchangeRequestView request,
            @Nullable HandshakeServer handshake, MatchResult result) {
        if (handshake == null) {
            // every handshake records its server: a TLS request without one is routed nowhere rather than anywhere
            return "https".equals(request.scheme()) ? LocalResponses.respond(exchange, 404, "", "NR") : null;
        }
        if (result instanceof MatchResult.NotMatched miss) {
            return miss.reason() == MatchResult.Reason.OTHER_SERVER && HandshakeServer.isHttp2(exchange.getRequest())
                    ? LocalResponses.respond(exchange, 421, "", "NR") : null;
        }
        MatchResult.Matched matched = (MatchResult.Matched) result;
        if (matched.listener() != null && !handshake.unchangedIn(matched.listener())) {
            // the server's hosts or TLS settings changed since the handshake: the client must make a new one
            if (!HandshakeServer.isHttp2(exchange.getRequest())) {
                exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
            }
            return LocalResponses.respond(exchange, 421, "", "NR");
        }
        return null;
    }
}
