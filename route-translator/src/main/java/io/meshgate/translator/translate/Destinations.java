package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.SourceRef;
import java.util.Optional;

/**
 * Resolves VirtualService destinations against the known services and DestinationRule subsets. An unknown host or
 * subset is reported and still routed (to a cluster with no endpoints, answering 503 as Envoy does); a destination
 * whose port cannot be chosen is unusable.
 */
final class Destinations {

    /** The port used when neither the destination nor a known service gives one. */
    static final int DEFAULT_PORT = 80;

    private final ServiceRegistry registry;
    private final DestinationRules rules;
    private final Reporter reporter;

    Destinations(ServiceRegistry registry, DestinationRules rules, Reporter reporter) {
        this.registry = registry;
        this.rules = rules;
        this.reporter = reporter;
    }

    Optional<DestinationRef> resolve(Destination destination, SourceRef source, String path) {
        if (destination.getHost() == null || destination.getHost().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".host", "missing (expected: a host)");
            return Optional.empty();
        }
        String host = destination.getHost();
        String fqdn = registry.fqdn(host, source.namespace());
        Optional<Integer> port = Optional.ofNullable(destination.getPort())
                .map(p -> p.getNumber() == null ? null : p.getNumber().intValue());
        Optional<ServiceRegistry.ServiceInfo> service = registry.find(fqdn);
        if (service.isEmpty()) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".host",
                    "Referenced host not found: \"" + host + "\" (expected: a ServiceEntry or Service host)");
        } else if (port.isEmpty()) {
            if (service.get().ports().size() > 1) {
                reporter.report(Code.DESTINATION_PORT_SELECTOR_REQUIRED, source, path + ".port",
                        "missing: " + fqdn + " has " + service.get().ports().size()
                                + " ports (expected: port.number)");
                return Optional.empty();
            }
            port = service.get().ports().stream().findFirst().map(ServiceRegistry.Port::number);
        } else if (service.get().port(port.get()).isEmpty()) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".port.number",
                    "Referenced port not found: " + port.get() + " on " + fqdn);
        }
        Optional<String> subset = Optional.ofNullable(destination.getSubset()).filter(s -> !s.isEmpty());
        if (subset.isPresent()) {
            boolean defined = rules.find(fqdn).map(r -> r.subsets().containsKey(subset.get())).orElse(false);
            if (!defined) {
                reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, source, path + ".subset",
                        "Referenced subset not found: \"" + subset.get() + "\" (expected: a subset of a "
                                + "DestinationRule for " + fqdn + ")");
            }
        }
        return Optional.of(new DestinationRef(host, fqdn, subset, port.orElse(DEFAULT_PORT)));
    }
}
