package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One backend address.
 *
 * @param address an IP address, or a host name resolved when connecting ({@code DNS} resolution)
 * @param port the port to connect to
 * @param labels the workload labels, used to select subsets
 * @param weight the load-balancing weight (1 if unset)
 * @param source the ServiceEntry endpoint or WorkloadEntry it came from
 */
public record Endpoint(String address, int port, Map<String, String> labels, int weight, Optional<String> locality,
        SourceRef source) {
    public Endpoint {
        requireNonNull(address, "address");
        labels = Map.copyOf(labels);
        requireNonNull(locality, "locality");
        requireNonNull(source, "source");
    }
}
