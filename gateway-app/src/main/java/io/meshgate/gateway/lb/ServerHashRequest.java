package io.meshgate.gateway.lb;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpCookie;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A WebFlux request as a {@link HashRequest}, read in place. The source address is the peer of the connection, as
 * Envoy hashes it for {@code useSourceIp}.
 *
 * @param request the request
 */
public record ServerHashRequest(ServerHttpRequest request) implements HashRequest {

    public ServerHashRequest {
        requireNonNull(request, "request");
    }

    @Override
    public List<String> headerValues(String name) {
        List<String> values = request.getHeaders().get(name);
        return values == null ? List.of() : values;
    }

    @Override
    public @Nullable String cookie(String name) {
        HttpCookie cookie = request.getCookies().getFirst(name);
        return cookie == null ? null : cookie.getValue();
    }

    @Override
    public @Nullable String queryParameter(String name) {
        List<@Nullable String> values = request.getQueryParams().get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        String first = values.get(0);
        return first == null ? "" : first;
    }

    @Override
    public @Nullable String sourceAddress() {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() == null ? remote.getHostString() : remote.getAddress().getHostAddress();
    }

    @Override
    public @Nullable String connectionAddresses() {
        InetSocketAddress remote = request.getRemoteAddress();
        InetSocketAddress local = request.getLocalAddress();
        return remote == null || local == null ? null : remote + "|" + local;
    }
}
