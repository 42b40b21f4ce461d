package io.meshgate.gateway.filter;

import io.meshgate.gateway.proxy.UpstreamFailure;
import io.meshgate.gateway.proxy.UpstreamExchange;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.http.client.HttpClientResponse;

/** What one upstream try gave, as far as the retry policy cares. */
sealed interface TryOutcome {

    /** The gateway answered by itself (no healthy upstream, ...): nothing an upstream could change. */
    record Answered() implements TryOutcome {
    }

    /**
     * The upstream's response headers arrived.
     *
     * @param status the HTTP status
     * @param grpcStatus the {@code grpc-status} header, present in gRPC trailers-only responses
     * @param envoyRateLimited whether an upstream Envoy marked it {@code x-envoy-ratelimited}
     */
    record Response(int status, OptionalInt grpcStatus, boolean envoyRateLimited) implements TryOutcome {
    }

    /** The try failed before any response. */
    record Failed(UpstreamFailure failure) implements TryOutcome {
    }

    /** The outcome of a try that completed: the proxied response in the exchange, or an answer of the gateway. */
    static TryOutcome of(ServerWebExchange exchange) {
        HttpClientResponse response = UpstreamExchange.response(exchange);
        if (response == null || exchange.getResponse().isCommitted()) {
            return new Answered();
        }
        return new Response(response.status().code(), grpcStatus(response.responseHeaders().get("grpc-status")),
                response.responseHeaders().contains("x-envoy-ratelimited"));
    }

    private static OptionalInt grpcStatus(@Nullable String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
