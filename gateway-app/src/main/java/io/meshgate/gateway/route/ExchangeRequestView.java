package io.meshgate.gateway.route;

import io.meshgate.translator.match.RequestView;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** The matcher's view of a WebFlux request, reading it in place. */
final class ExchangeRequestView implements RequestView {

    private final ServerHttpRequest request;
    private final int port;
    private final @Nullable String server;

    ExchangeRequestView(ServerHttpRequest request, int port) {
        this(request, port, null);
    }

    /** The view of a request on a TLS connection whose handshake selected {@code server}. */
    ExchangeRequestView(ServerHttpRequest request, int port, @Nullable String server) {
        this.request = request;
        this.port = port;
        this.server = server;
    }

    @Override
    public @Nullable String server() {
        return server;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public @Nullable String authority() {
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        return host != null ? host : request.getURI().getRawAuthority();
    }

    @Override
    public String method() {
        return request.getMethod().name();
    }

    @Override
    public String scheme() {
        String scheme = request.getURI().getScheme();
        return scheme == null ? "http" : scheme;
    }

    @Override
    public String path() {
        return request.getPath().value();
    }

    @Override
    public String query() {
        String query = request.getURI().getRawQuery();
        return query == null ? "" : query;
    }

    @Override
    public @Nullable String header(String name) {
        List<String> values = request.getHeaders().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }
}
