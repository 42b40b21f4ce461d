package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.RetryPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All that compiling a VirtualService may know of one destination host: the ports of the service that defines it,
 * and the subsets and seed retries of its DestinationRule. Endpoints and traffic policies are not here: they shape
 * clusters, which are built after the routes, so a compiled VirtualService stays valid while they change.
 *
 * @param servicePorts the ports of the known service, empty when no Service or ServiceEntry defines the host
 * @param destinationRule the DestinationRule for the host, if any
 */
record HostFacts(Optional<List<ServiceRegistry.Port>> servicePorts, Optional<RuleFacts> destinationRule) {

    /**
     * The part of a host's DestinationRule that routes depend on.
     *
     * @param subsetRetries the retries each subset maps from the seed's {@code retryPolicy}, by subset name
     * @param retry the retries the top level maps from the seed's {@code retryPolicy}
     */
    record RuleFacts(Map<String, Optional<RetryPolicy>> subsetRetries, Optional<RetryPolicy> retry) {
        RuleFacts {
            subsetRetries = Map.copyOf(subsetRetries);
            requireNonNull(retry, "retry");
        }
    }

    HostFacts {
        servicePorts = servicePorts.map(List::copyOf);
        requireNonNull(destinationRule, "destinationRule");
    }

    static HostFacts of(String fqdn, ServiceRegistry registry, DestinationRules rules) {
        Optional<List<ServiceRegistry.Port>> ports = registry.find(fqdn).map(ServiceRegistry.ServiceInfo::ports);
        Optional<RuleFacts> rule = rules.find(fqdn).map(r -> {
            Map<String, Optional<RetryPolicy>> subsets = new HashMap<>();
            r.subsets().forEach((name, subset) -> subsets.put(name, subset.level().retry()));
            return new RuleFacts(subsets, r.level().retry());
        });
        return new HostFacts(ports, rule);
    }

    boolean hasSubset(String subset) {
        return destinationRule.map(r -> r.subsetRetries().containsKey(subset)).orElse(false);
    }

    /** The retries the DestinationRule's non-Istio {@code retryPolicy} gives a destination, subset first. */
    Optional<RetryPolicy> seedRetry(Optional<String> subset) {
        return destinationRule.flatMap(r -> subset.flatMap(s -> r.subsetRetries().getOrDefault(s, Optional.empty()))
                .or(r::retry));
    }
}
