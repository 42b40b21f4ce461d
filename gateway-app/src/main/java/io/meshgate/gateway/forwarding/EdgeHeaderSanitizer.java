package io.meshgate.gateway.forwarding;

import io.meshgate.gateway.listener.ServerConnection;
import io.meshgate.gateway.route.StreamInfo;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * Cleans the headers an external client must not set, before routing, as Envoy's connection manager does for an edge
 * request ({@code use_remote_address}, the request not internal):
 * <ul>
 *   <li>every {@code x-envoy-*} header is removed: Envoy's list ({@code -retry-on}, {@code -retry-grpc-on},
 *       {@code -max-retries}, {@code -upstream-rq-timeout-ms}, {@code -upstream-rq-per-try-timeout-ms},
 *       {@code -expected-rq-timeout-ms}, {@code -internal}, {@code -hedge-on-per-try-timeout}, {@code -force-trace},
 *       {@code -ip-tags}, {@code -downstream-service-cluster}, …) and any other, as all of them steer or inform
 *       proxies of the mesh;
 *   <li>{@code x-forwarded-client-cert} is removed and, when the client presented a verified certificate (MUTUAL and
 *       OPTIONAL_MUTUAL servers), set to that certificate's details: Istio's gateway {@code SANITIZE_SET};
 *   <li>{@code x-request-id} is removed so that a new one is generated, unless {@code preserveExternalRequestId}.
 * </ul>
 * A request from a trusted proxy keeps them all; its XFCC gets this connection's element appended when the proxy
 * itself presented a certificate ({@code APPEND_FORWARD}). Requests that carry none of these headers pass unchanged
 * at the cost of one scan of the header names.
 */
public final class EdgeHeaderSanitizer implements WebFilter {

    public static final String XFCC = "x-forwarded-client-cert";
    private static final String ENVOY_PREFIX = "x-envoy-";
    private static final String REQUEST_ID = "x-request-id";

    private final TrustedProxies trusted;
    private final boolean preserveExternalRequestId;

    public EdgeHeaderSanitizer(TrustedProxies trusted, boolean preserveExternalRequestId) {
        this.trusted = trusted;
        this.preserveExternalRequestId = preserveExternalRequestId;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        boolean trustedPeer = trusted.trusts(request.getRemoteAddress());
        String details = VerifiedClientCertificate.details(request);
        if (trustedPeer) {
            StreamInfo.of(exchange).trustedPeer(true);
            return details == null ? chain.filter(exchange) : chain.filter(withXfcc(exchange, details, true));
        }
        if (details == null && !carriesEdgeOnlyHeaders(request)) {
            return chain.filter(exchange);
        }
        return chain.filter(sanitized(exchange, details));
    }

    private boolean carriesEdgeOnlyHeaders(ServerHttpRequest request) {
        if (ServerConnection.of(request) instanceof HttpServerRequest client) {
            // the header lines as the client sent them, read in place: no name copied, none lower-cased
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = client.requestHeaders().iteratorCharSequence();
                    it.hasNext();) {
                if (isEdgeOnly(it.next().getKey())) {
                    return true;
                }
            }
            return false;
        }
        for (String name : request.getHeaders().headerNames()) {
            if (isEdgeOnly(name)) {
                return true;
            }
        }
        return false;
    }

    private boolean isEdgeOnly(CharSequence name) {
        return AsciiString.regionMatches(name, true, 0, ENVOY_PREFIX, 0, ENVOY_PREFIX.length())
                || AsciiString.contentEqualsIgnoreCase(name, XFCC)
                || (!preserveExternalRequestId && AsciiString.contentEqualsIgnoreCase(name, REQUEST_ID));
    }


    private ServerWebExchange sanitized(ServerWebExchange exchange, @Nullable String details) {
        return exchange.mutate().request(request -> request.headers(headers -> {
            headers.headerNames().stream().filter(this::isEdgeOnly).toList()
                    .forEach(headers::remove);
            if (details != null) {
                headers.set(XFCC, details);
            }
        })).build();
    }

    private static ServerWebExchange withXfcc(ServerWebExchange exchange, String details, boolean append) {
        return exchange.mutate().request(request -> request.headers(headers -> {
            String forwarded = append ? String.join(",", headers.getOrEmpty(XFCC)) : "";
            headers.set(XFCC, forwarded.isBlank() ? details : forwarded + "," + details);
        })).build();
    }
}
