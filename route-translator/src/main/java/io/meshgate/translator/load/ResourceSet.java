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
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.util.List;
import java.util.Optional;

/**
 * The resources a translation starts from, in a stable order (namespace, then name), and the problems met while
 * loading them. Resources that could not be loaded are absent and have a diagnostic.
 */
public record ResourceSet(List<Loaded<?>> resources, List<Diagnostic> diagnostics) {
    public static final ResourceSet EMPTY = new ResourceSet(List.of(), List.of());

    public ResourceSet {
        resources = List.copyOf(resources);
        diagnostics = List.copyOf(diagnostics);
    }

    /**
     * A set of resources gathered from several loads, sorted. Of two definitions of one kind, namespace and name the
     * older is kept: by {@code metadata.creationTimestamp} when both have one, else the one listed first (list what
     * was seen first first); the other is dropped with an Error (GW0206).
     */
    public static ResourceSet of(List<Loaded<?>> resources, List<Diagnostic> diagnostics) {
        return ResourceLoader.assemble(new java.util.ArrayList<>(resources), new java.util.ArrayList<>(diagnostics));
    }

    public List<Loaded<Gateway>> gateways() {
        return of(ResourceKind.GATEWAY);
    }

    public List<Loaded<VirtualService>> virtualServices() {
        return of(ResourceKind.VIRTUAL_SERVICE);
    }

    public List<Loaded<DestinationRule>> destinationRules() {
        return of(ResourceKind.DESTINATION_RULE);
    }

    public List<Loaded<ServiceEntry>> serviceEntries() {
        return of(ResourceKind.SERVICE_ENTRY);
    }

    public List<Loaded<WorkloadEntry>> workloadEntries() {
        return of(ResourceKind.WORKLOAD_ENTRY);
    }

    public List<Loaded<Service>> services() {
        return of(ResourceKind.SERVICE);
    }

    public List<Loaded<EndpointSlice>> endpointSlices() {
        return of(ResourceKind.ENDPOINT_SLICE);
    }

    public List<Loaded<Pod>> pods() {
        return of(ResourceKind.POD);
    }

    public List<Loaded<EnvoyFilter>> envoyFilters() {
        return of(ResourceKind.ENVOY_FILTER);
    }

    public List<Loaded<RateLimitPolicy>> rateLimitPolicies() {
        return of(ResourceKind.RATE_LIMIT_POLICY);
    }

    /** The file and line of a field of a loaded resource, where known. */
    public Optional<SourceLocation> locate(SourceRef resource, String fieldPath) {
        for (Loaded<?> loaded : resources) {
            if (loaded.ref().equals(resource.at(""))) {
                return loaded.locate(fieldPath);
            }
        }
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> List<Loaded<T>> of(ResourceKind kind) {
        return resources.stream()
                .filter(r -> r.kind() == kind)
                .map(r -> (Loaded<T>) r)
                .toList();
    }
}
