package io.meshgate.gateway.filter;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Envoy's {@code x-envoy-attempt-count} on every upstream request (1 for the first try), written while Spring Cloud
 * Gateway builds the upstream request from the try number {@link RetryFilter} keeps.
 */
public final class AttemptCountHeaderFilter implements HttpHeadersFilter, Ordered {

    @Override
    public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
        UpstreamTries tries = UpstreamTries.of(exchange);
        if (tries == null) {
            return input;
        }
        HttpHeaders out = HttpHeaders.copyOf(input);
        out.set(RetryFilter.ATTEMPT_COUNT, String.valueOf(tries.count()));
        return out;
    }

    @Override
    public boolean supports(Type type) {
        return type == Type.REQUEST;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 1;
    }
}
