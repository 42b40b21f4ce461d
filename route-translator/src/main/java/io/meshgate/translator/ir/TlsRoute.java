package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One match block of a VirtualService {@code tls} rule, bound to a Gateway server in {@code PASSTHROUGH} mode: TLS
 * connections whose SNI is one of {@code sniHosts} are relayed, still encrypted, to one of the clusters.
 *
 * @param name {@code virtualservice/<ns>/<name>/tls/<i>/match/<j>}
 * @param origin the VirtualService and its {@code spec.tls[i]}
 * @param server the {@link Server#name()} it is bound to
 * @param sniHosts the SNI names it takes: exact names, {@code *.suffix} wildcards or {@code *}; each is served by the
 *     first route of its listener that lists it
 * @param clusters the destinations, picked by weight for each connection
 */
public record TlsRoute(String name, SourceRef origin, String server, List<String> sniHosts,
        List<WeightedCluster> clusters) {
    public TlsRoute {
        requireNonNull(name, "name");
        requireNonNull(origin, "origin");
        requireNonNull(server, "server");
        sniHosts = List.copyOf(sniHosts);
        clusters = List.copyOf(clusters);
    }
}
