package io.meshgate.gateway.route;

import io.meshgate.translator.match.PathNormalization;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/**
 * Normalizes a request's path once, before routing: the exchange that routing, every filter (rewrites included), the
 * mirror and the proxy then see carries the normalized path, so the backend receives the path that was routed on.
 * As Envoy, the original path is not kept in {@code x-envoy-original-path} (that header is for rewrites).
 */
final class NormalizedPath {

    private NormalizedPath() {
    }

    /**
     * The exchange with its path normalized: the same exchange when the path already is (the common case, without
     * allocating), or null when the path cannot be normalized and the request must be answered 400.
     */
    static @Nullable ServerWebExchange of(ServerWebExchange exchange, PathNormalization mode) {
        String raw = exchange.getRequest().getURI().getRawPath();
        if (raw == null) {
            // an opaque or asterisk-form target: there is no path to normalize
            return exchange;
        }
        String path = mode.normalize(raw);
        if (path == null) {
            return null;
        }
        if (path.equals(raw)) {
            return exchange;
        }
        return exchange.mutate().request(request -> request.path(path)).build();
    }
}
