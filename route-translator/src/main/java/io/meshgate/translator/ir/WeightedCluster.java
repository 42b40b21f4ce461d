package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/**
 * One destination of a forward action.
 *
 * @param cluster the {@link Cluster#name()} to send to
 * @param weight the relative weight, 0 or more
 * @param destination the destination as resolved from the VirtualService
 * @param headers header operations applied only when this destination is picked
 */
public record WeightedCluster(String cluster, int weight, DestinationRef destination, HeaderPolicy headers) {
    public WeightedCluster {
        requireNonNull(cluster, "cluster");
        requireNonNull(destination, "destination");
        requireNonNull(headers, "headers");
    }
}
