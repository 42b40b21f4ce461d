package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a translation needs to know of the gateway it is for.
 *
 * @param gatewayLabels the labels of this gateway's pods: a Gateway applies when its {@code selector} is a subset
 * @param clusterDomain the Kubernetes cluster domain short names expand into ({@code cluster.local})
 */
public record TranslatorOptions(Map<String, String> gatewayLabels, String clusterDomain) {
    /** An Istio ingress gateway in a cluster with the default domain. */
    public static final TranslatorOptions DEFAULTS = new TranslatorOptions(Map.of("istio", "ingressgateway"),
            "cluster.local");

    public TranslatorOptions {
        gatewayLabels = Map.copyOf(gatewayLabels);
        requireNonNull(clusterDomain, "clusterDomain");
    }
}
