package io.meshgate.gateway.telemetry;

/**
 * A destination service's Istio labels: {@code name.namespace.svc.cluster.local} gives its name and namespace; a
 * host of another form is its own name, in namespace {@code unknown}.
 */
record ServiceName(String fqdn, String name, String namespace) {

    /** Cut by index, not split, as this runs on every request. */
    static ServiceName of(String fqdn) {
        int firstDot = fqdn.indexOf('.');
        if (firstDot < 0) {
            return new ServiceName(fqdn, fqdn, "unknown");
        }
        int secondDot = fqdn.indexOf('.', firstDot + 1);
        return new ServiceName(fqdn, fqdn.substring(0, firstDot),
                fqdn.substring(firstDot + 1, secondDot < 0 ? fqdn.length() : secondDot));
    }
}
