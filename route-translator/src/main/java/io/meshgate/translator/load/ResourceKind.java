package io.meshgate.translator.load;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.WorkloadEntry;
import io.fabric8.istio.api.networking.v1alpha3.EnvoyFilter;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicy;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds the translator reads, with the fabric8 model class each is bound to. Istio serves the same spec under
 * {@code v1}, {@code v1beta1} and {@code v1alpha3}, so every version binds to the {@code v1} class; EnvoyFilter,
 * which Istio serves in {@code v1alpha3} only, is read in that version. Kubernetes kinds ({@code Service},
 * {@code discovery.k8s.io/v1 EndpointSlice}, {@code Pod} for its labels) are read in {@code v1}, Meshgate's own
 * ({@code policy.meshgate.io RateLimitPolicy}) in {@code v1alpha1}.
 */
public enum ResourceKind {
    GATEWAY("networking.istio.io", "Gateway", Gateway.class, Versions.ISTIO),
    VIRTUAL_SERVICE("networking.istio.io", "VirtualService", VirtualService.class, Versions.ISTIO),
    DESTINATION_RULE("networking.istio.io", "DestinationRule", DestinationRule.class, Versions.ISTIO),
    SERVICE_ENTRY("networking.istio.io", "ServiceEntry", ServiceEntry.class, Versions.ISTIO),
    WORKLOAD_ENTRY("networking.istio.io", "WorkloadEntry", WorkloadEntry.class, Versions.ISTIO),
    SERVICE("", "Service", Service.class, Versions.V1),
    ENDPOINT_SLICE("discovery.k8s.io", "EndpointSlice", EndpointSlice.class, Versions.V1),
    POD("", "Pod", Pod.class, Versions.V1),
    ENVOY_FILTER("networking.istio.io", "EnvoyFilter", EnvoyFilter.class, List.of("v1alpha3")),
    RATE_LIMIT_POLICY(RateLimitPolicy.GROUP, "RateLimitPolicy", RateLimitPolicy.class,
            List.of(RateLimitPolicy.VERSION));

    /** Kinds Istio defines that this version recognises but does not apply. */
    private static final Set<String> NOT_APPLIED = Set.of(
            "security.istio.io/PeerAuthentication", "security.istio.io/AuthorizationPolicy",
            "security.istio.io/RequestAuthentication", "telemetry.istio.io/Telemetry",
            "networking.istio.io/Sidecar", "networking.istio.io/WorkloadGroup",
            "networking.istio.io/ProxyConfig", "extensions.istio.io/WasmPlugin");

    private final String group;
    private final String kind;
    private final Class<? extends HasMetadata> modelClass;
    private final List<String> versions;

    ResourceKind(String group, String kind, Class<? extends HasMetadata> modelClass, List<String> versions) {
        this.group = group;
        this.kind = kind;
        this.modelClass = modelClass;
        this.versions = versions;
    }

    /** Enum constants cannot refer to a static field of their own enum. */
    private static final class Versions {
        static final List<String> ISTIO = List.of("v1", "v1beta1", "v1alpha3");
        static final List<String> V1 = List.of("v1");
    }

    public String kind() {
        return kind;
    }

    public Class<? extends HasMetadata> modelClass() {
        return modelClass;
    }

    /** The kind for an {@code apiVersion} and {@code kind}, if this translator reads it. */
    static Optional<ResourceKind> of(String apiVersion, String kind) {
        String group = groupOf(apiVersion);
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        for (ResourceKind candidate : values()) {
            if (candidate.kind.equals(kind) && candidate.group.equals(group) && candidate.accepts(version)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether Istio defines this kind but this version does not apply it. */
    static boolean isRecognisedButNotApplied(String apiVersion, String kind) {
        return NOT_APPLIED.contains(groupOf(apiVersion) + "/" + kind);
    }

    /** The versions accepted for a kind of this group, for messages. */
    static String acceptedVersions(String apiVersion, String kind) {
        String group = groupOf(apiVersion);
        for (ResourceKind candidate : values()) {
            if (candidate.kind.equals(kind) && candidate.group.equals(group)) {
                return String.join(", ", candidate.versions.stream()
                        .map(v -> group.isEmpty() ? v : group + "/" + v).toList());
            }
        }
        return "";
    }

    private boolean accepts(String version) {
        return versions.contains(version);
    }

    private static String groupOf(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
