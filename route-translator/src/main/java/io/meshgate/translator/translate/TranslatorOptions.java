package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What a translation needs to know of the gateway it is for.
 *
 * @param gatewayLabels the labels of this gateway's pods: a Gateway applies when its {@code selector} is a subset
 * @param clusterDomain the Kubernetes cluster domain short names expand into ({@code cluster.local})
 * @param gatewayNamespace the namespace this gateway runs in, which a VirtualService's {@code exportTo} must reach
 *     for its routes to apply here (Istio checks the gateway proxy's namespace); empty where the gateway runs
 *     outside Kubernetes, and then each Gateway's own namespace stands in for it
 */
public record TranslatorOptions(Map<String, String> gatewayLabels, String clusterDomain,
        Optional<String> gatewayNamespace) {
    /** An Istio ingress gateway in a cluster with the default domain. */
    public static final TranslatorOptions DEFAULTS = new TranslatorOptions(Map.of("istio", "ingressgateway"),
            "cluster.local", Optional.empty());

    public TranslatorOptions {
        gatewayLabels = Map.copyOf(gatewayLabels);
        requireNonNull(clusterDomain, "clusterDomain");
        requireNonNull(gatewayNamespace, "gatewayNamespace");
    }
}
