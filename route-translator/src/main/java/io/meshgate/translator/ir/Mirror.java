package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/**
 * A shadow copy of the request, sent without waiting for or using its answer.
 *
 * @param percentage 0 to 100 (Istio's default: 100)
 */
public record Mirror(String cluster, DestinationRef destination, double percentage) {
    public Mirror {
        requireNonNull(cluster, "cluster");
        requireNonNull(destination, "destination");
    }
}
