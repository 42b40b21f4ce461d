package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.SourceRef;
import java.util.List;
import java.util.Optional;

/**
 * Resolves VirtualService destinations against the known services and DestinationRule subsets. An unknown host or
 * subset is reported and still routed (to a cluster with no endpoints, answering 503 as Envoy does); a destination
 * whose port cannot be chosen is unusable.
 */
final class Destinations {

    /** The port used when neither the destination nor a known service gives one. */
    static final int DEFAULT_PORT = 80;

    private final DestinationHosts hosts;
    private final Reporter reporter;

    Destinations(DestinationHosts hosts, Reporter reporter) {
        this.hosts = hosts;
        this.reporter = reporter;
    }

    Optional<DestinationRef> resolve(Destination destination, SourceRef source, String path) {
        if (destination.getHost() == null || destination.getHost().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".host", "missing (expected: a host)");
            return Optional.empty();
        }
        String host = destination.getHost();
        String fqdn = hosts.fqdn(host, source.namespace());
        HostFacts facts = hosts.of(fqdn);
        Optional<Integer> port = Optional.ofNullable(destination.getPort())
                .map(p -> p.getNumber() == null ? null : p.getNumber().intValue());
        Optional<List<ServiceRegistry.Port>> ports = facts.servicePorts();
        if (ports.isEmpty()) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".host",
                    "Referenced host not found: \"" + host + "\" (expected: a ServiceEntry or Service host)");
        } else if (port.isEmpty()) {
            if (ports.get().size() > 1) {
                reporter.report(Code.DESTINATION_PORT_SELECTOR_REQUIRED, source, path + ".port",
                        "missing: " + fqdn + " has " + ports.get().size() + " ports (expected: port.number)");
                return Optional.empty();
            }
            port = ports.get().stream().findFirst().map(ServiceRegistry.Port::number);
        } else if (!hasPort(ports.get(), port.get())) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".port.number",
                    "Referenced port not found: " + port.get() + " on " + fqdn);
        }
        Optional<String> subset = Optional.ofNullable(destination.getSubset()).filter(s -> !s.isEmpty());
        if (subset.isPresent() && !facts.hasSubset(subset.get())) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".subset",
                    "Referenced subset not found: \"" + subset.get() + "\" (expected: a subset of a "
                            + "DestinationRule for " + fqdn + ")");
        }
        return Optional.of(new DestinationRef(host, fqdn, subset, port.orElse(DEFAULT_PORT)));
    }

    private static boolean hasPort(List<ServiceRegistry.Port> ports, int number) {
        for (ServiceRegistry.Port port : ports) {
            if (port.number() == number) {
                return true;
            }
        }
        return false;
    }
}
