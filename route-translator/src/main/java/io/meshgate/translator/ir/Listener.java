package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One port the gateway listens on, merged from every Gateway server on that port.
 *
 * @param name {@code 0.0.0.0_<port>}, as Istio names gateway listeners
 * @param port the Gateway server port number
 * @param protocol the server protocol ({@code HTTP}, {@code HTTPS}, {@code HTTP2}, {@code GRPC}, {@code TLS}, {@code TCP})
 * @param servers the Gateway servers merged into this listener, in (namespace, name, index) order
 * @param virtualHosts one per served host, exact hosts first, then wildcards longest first, {@code *} last; on a port
 *     whose servers terminate TLS, one per served host and server, since each such server has routes of its own
 * @param tlsRoutes the routes of its {@code PASSTHROUGH} servers, in VirtualService order
 */
public record Listener(String name, int port, String protocol, List<Server> servers, List<VirtualHost> virtualHosts,
        List<TlsRoute> tlsRoutes) {

    /** A listener without TLS passthrough routes. */
    public Listener(String name, int port, String protocol, List<Server> servers, List<VirtualHost> virtualHosts) {
        this(name, port, protocol, servers, virtualHosts, List.of());
    }

    public Listener {
        requireNonNull(name, "name");
        requireNonNull(protocol, "protocol");
        servers = List.copyOf(servers);
        virtualHosts = List.copyOf(virtualHosts);
        tlsRoutes = List.copyOf(tlsRoutes);
    }
}
