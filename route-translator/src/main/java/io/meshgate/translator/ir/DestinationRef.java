package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A VirtualService destination after host resolution.
 *
 * @param host the host as written
 * @param fqdn the service it resolved to ({@code name.ns.svc.cluster.local} for short names)
 * @param subset the DestinationRule subset, if any
 * @param port the service port
 */
public record DestinationRef(String host, String fqdn, Optional<String> subset, int port) {
    public DestinationRef {
        requireNonNull(host, "host");
        requireNonNull(fqdn, "fqdn");
        requireNonNull(subset, "subset");
    }
}
