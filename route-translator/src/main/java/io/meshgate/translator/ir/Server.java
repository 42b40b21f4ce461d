package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One Gateway {@code servers[]} entry.
 *
 * @param name {@code <namespace>/<gateway>/<port-name>}
 * @param source the Gateway and the field path of this server
 * @param gateway {@code <namespace>/<gateway>}
 * @param hosts the hosts as written, with their {@code namespace/} part
 * @param tls the TLS settings, carried for the listener
 */
public record Server(String name, SourceRef source, String gateway, int port, String protocol, List<String> hosts,
        Optional<ServerTls> tls) {
    public Server {
        requireNonNull(name, "name");
        requireNonNull(source, "source");
        requireNonNull(gateway, "gateway");
        requireNonNull(protocol, "protocol");
        hosts = List.copyOf(hosts);
        requireNonNull(tls, "tls");
    }
}
