package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A set of endpoints of one service port (and subset), with the DestinationRule policy that applies to it.
 *
 * @param name {@code outbound|<port>|<subset>|<fqdn>}
 * @param service the service FQDN
 * @param subset the DestinationRule subset, if any
 * @param port the service port
 * @param protocol the service port protocol ({@code HTTP}, {@code HTTP2}, {@code GRPC}, ...), {@code HTTP} if unknown
 * @param discovery where the service is defined: {@code ServiceEntry}, {@code Service}, or {@code none} when no
 *     resource defines the host (the cluster then has no endpoints)
 * @param resolution {@code STATIC}, {@code DNS}, {@code DNS_ROUND_ROBIN} or {@code NONE}
 * @param policy the DestinationRule traffic policy in force for this port and subset
 * @param destinationRule the DestinationRule that supplied the policy, if any
 * @param endpoints the endpoints, sorted by address and port
 */
public record Cluster(String name, String service, Optional<String> subset, int port, String protocol,
        String discovery, String resolution, TrafficPolicy policy, Optional<SourceRef> destinationRule,
        List<Endpoint> endpoints) {
    public Cluster {
        requireNonNull(name, "name");
        requireNonNull(service, "service");
        requireNonNull(subset, "subset");
        requireNonNull(protocol, "protocol");
        requireNonNull(discovery, "discovery");
        requireNonNull(resolution, "resolution");
        requireNonNull(policy, "policy");
        requireNonNull(destinationRule, "destinationRule");
        endpoints = List.copyOf(endpoints);
    }

    /** The cluster name Istio gives this service port and subset. */
    public static String nameOf(int port, Optional<String> subset, String fqdn) {
        return "outbound|" + port + "|" + subset.orElse("") + "|" + fqdn;
    }
}
