package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The DestinationRule traffic policy in force for one cluster, after subset and port-level settings are merged.
 * Carried here; each part is enforced by the gateway's own filters.
 */
public record TrafficPolicy(Optional<LoadBalancer> loadBalancer, Optional<ConnectionPool> connectionPool,
        Optional<OutlierDetection> outlierDetection, Optional<ClientTls> tls, Optional<RetryBudget> retryBudget) {
    public static final TrafficPolicy NONE = new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public TrafficPolicy {
        java.util.Objects.requireNonNull(retryBudget, "retryBudget");
        requireNonNull(loadBalancer, "loadBalancer");
        requireNonNull(connectionPool, "connectionPool");
        requireNonNull(outlierDetection, "outlierDetection");
        requireNonNull(tls, "tls");
    }
}
