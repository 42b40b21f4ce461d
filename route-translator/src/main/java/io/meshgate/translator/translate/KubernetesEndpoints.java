package io.meshgate.translator.translate;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints of Kubernetes Services, from their EndpointSlices (label {@code kubernetes.io/service-name}), as
 * Istio discovers them: an endpoint that is not ready (starting, failing its readiness probe, or terminating) gets
 * no new requests; each address of a ready endpoint is a workload, with the labels of the pod it points to (for
 * DestinationRule subsets), the slice's named ports and its zone as locality.
 */
final class KubernetesEndpoints {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<String, List<Loaded<EndpointSlice>>> slicesByService = new HashMap<>();
    private final Map<String, Map<String, String>> podLabels = new HashMap<>();

    KubernetesEndpoints(ResourceSet resources) {
        for (Loaded<EndpointSlice> slice : resources.endpointSlices()) {
            Map<String, String> labels = slice.resource().getMetadata().getLabels();
            String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService.computeIfAbsent(slice.ref().namespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
        for (Loaded<Pod> pod : resources.pods()) {
            Map<String, String> labels = pod.resource().getMetadata().getLabels();
            podLabels.put(pod.ref().namespace() + "/" + pod.ref().name(), labels == null ? Map.of() : labels);
        }
    }

    /** The ready workloads of a Service, in slice order; empty when it has no slices. */
    List<ServiceRegistry.Workload> workloads(String namespace, String service) {
        List<ServiceRegistry.Workload> workloads = new ArrayList<>();
        for (Loaded<EndpointSlice> loaded : slicesByService.getOrDefault(namespace + "/" + service, List.of())) {
            EndpointSlice slice = loaded.resource();
            Map<String, Integer> ports = new HashMap<>();
            for (EndpointPort port : slice.getPorts()) {
                if (port.getPort() != null) {
                    ports.put(port.getName() == null ? "" : port.getName(), port.getPort());
                }
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                if (!ready(endpoint.getConditions())) {
                    continue;
                }
                Map<String, String> labels = labelsOf(namespace, endpoint.getTargetRef());
                Optional<String> zone = Optional.ofNullable(endpoint.getZone());
                for (String address : endpoint.getAddresses()) {
                    workloads.add(new ServiceRegistry.Workload(address, labels, ports, 1, zone, loaded.ref()));
                }
            }
        }
        return workloads;
    }

    /** Kubernetes: an unknown {@code ready} counts as ready; a terminating endpoint is never ready. */
    private static boolean ready(EndpointConditions conditions) {
        if (conditions == null) {
            return true;
        }
        if (Boolean.TRUE.equals(conditions.getTerminating())) {
            return false;
        }
        return !Boolean.FALSE.equals(conditions.getReady());
    }

    private Map<String, String> labelsOf(String namespace, ObjectReference target) {
        if (target == null || !"Pod".equals(target.getKind()) || target.getName() == null) {
            return Map.of();
        }
        String podNamespace = target.getNamespace() == null ? namespace : target.getNamespace();
        return podLabels.getOrDefault(podNamespace + "/" + target.getName(), Map.of());
    }
}
