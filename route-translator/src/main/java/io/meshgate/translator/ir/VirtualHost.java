package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The routes served for one host on one listener, in first-match order.
 *
 * @param name {@code <host>:<port>} (or {@code <host>} in the mesh)
 * @param domains the host names it answers: exact names, {@code *.suffix} wildcards or {@code *}
 * @param server the {@link Server#name()} that exposes it, or {@code mesh}; on a plain-text port, the first of the
 *     servers that expose it (Istio merges their routes), on a port that terminates TLS the one server it is of
 * @param routes the routes in VirtualService order; the first that matches wins
 */
public record VirtualHost(String name, List<String> domains, String server, List<Route> routes) {
    public VirtualHost {
        requireNonNull(name, "name");
        domains = List.copyOf(domains);
        requireNonNull(server, "server");
        routes = List.copyOf(routes);
    }
}
