package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.ServicePort;
import io.fabric8.istio.api.api.networking.v1alpha3.WorkloadEntry;
import io.fabric8.istio.api.networking.v1.ServiceEntry;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The services the configuration knows, by FQDN: ServiceEntry hosts (with their endpoints and selected
 * WorkloadEntries) and Kubernetes Services (with the ready endpoints of their EndpointSlices). Resolves VirtualService and DestinationRule hosts the way Istio does.
 */
final class ServiceRegistry {

    /** One service port. */
    record Port(int number, String name, String protocol, int targetPort) {
    }

    /** One workload behind a service, before it is turned into an endpoint of a given port. */
    record Workload(String address, Map<String, String> labels, Map<String, Integer> namedPorts, int weight,
            Optional<String> locality, SourceRef source) {
    }

    /** A known service. */
    record ServiceInfo(String fqdn, String namespace, List<Port> ports, String discovery, String resolution,
            List<Workload> workloads, SourceRef source) {

        Optional<Port> port(int number) {
            return ports.stream().filter(p -> p.number() == number).findFirst();
        }
    }

    private final HostTable<ServiceInfo> byHost = new HostTable<>();
    private final String clusterDomain;

    private ServiceRegistry(String clusterDomain) {
        this.clusterDomain = clusterDomain;
    }

    static ServiceRegistry of(ResourceSet resources, TranslatorOptions options) {
        ServiceRegistry registry = new ServiceRegistry(options.clusterDomain());
        List<Loaded<io.fabric8.istio.api.networking.v1.WorkloadEntry>> workloadEntries = resources.workloadEntries();
        KubernetesEndpoints endpoints = new KubernetesEndpoints(resources);
        for (Loaded<Service> service : resources.services()) {
            registry.addService(service, endpoints);
        }
        for (Loaded<ServiceEntry> entry : resources.serviceEntries()) {
            registry.addServiceEntry(entry, workloadEntries);
        }
        return registry;
    }

    /**
     * The FQDN a host written in {@code namespace} stands for, as Istio's {@code ResolveShortnameToFQDN}: a name
     * without a dot expands into that namespace; a name with a dot ({@code reviews.prod}) is taken as written, even
     * though Kubernetes DNS would resolve it.
     */
    String fqdn(String host, String namespace) {
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("*") || lower.contains(".") || lower.contains(":")) {
            return lower;
        }
        return lower + "." + namespace + ".svc." + clusterDomain;
    }

    Optional<ServiceInfo> find(String fqdn) {
        return byHost.find(fqdn);
    }

    private void addService(Loaded<Service> loaded, KubernetesEndpoints endpoints) {
        Service service = loaded.resource();
        String fqdn = loaded.ref().name() + "." + loaded.ref().namespace() + ".svc." + clusterDomain;
        List<Port> ports = new ArrayList<>();
        if (service.getSpec() != null) {
            for (io.fabric8.kubernetes.api.model.ServicePort port : service.getSpec().getPorts()) {
                int number = port.getPort() == null ? 0 : port.getPort();
                String name = port.getName() == null ? "" : port.getName();
                ports.add(new Port(number, name, kubernetesProtocol(port), targetPort(port.getTargetPort(), number)));
            }
        }
        put(new ServiceInfo(fqdn, loaded.ref().namespace(), ports, "Service", "STATIC",
                endpoints.workloads(loaded.ref().namespace(), loaded.ref().name()), loaded.ref()));
    }

    private void addServiceEntry(Loaded<ServiceEntry> loaded,
            List<Loaded<io.fabric8.istio.api.networking.v1.WorkloadEntry>> workloadEntries) {
        var spec = loaded.resource().getSpec();
        if (spec == null) {
            return;
        }
        List<Port> ports = new ArrayList<>();
        for (ServicePort port : spec.getPorts()) {
            int number = port.getNumber() == null ? 0 : port.getNumber().intValue();
            int target = port.getTargetPort() == null || port.getTargetPort() == 0 ? number
                    : port.getTargetPort().intValue();
            ports.add(new Port(number, nullToEmpty(port.getName()),
                    port.getProtocol() == null ? "HTTP" : port.getProtocol().toUpperCase(Locale.ROOT), target));
        }
        String resolution = spec.getResolution() == null ? "NONE" : spec.getResolution().name();
        List<Workload> workloads = new ArrayList<>();
        for (int i = 0; i < spec.getEndpoints().size(); i++) {
            workloads.add(workload(spec.getEndpoints().get(i), loaded.ref().at("spec.endpoints[" + i + "]")));
        }
        if (spec.getWorkloadSelector() != null) {
            Map<String, String> selector = spec.getWorkloadSelector().getLabels();
            for (var entry : workloadEntries) {
                if (entry.ref().namespace().equals(loaded.ref().namespace()) && entry.resource().getSpec() != null
                        && entry.resource().getSpec().getLabels().entrySet().containsAll(selector.entrySet())) {
                    workloads.add(workload(entry.resource().getSpec(), entry.ref()));
                }
            }
        }
        for (String host : spec.getHosts()) {
            String fqdn = fqdn(host, loaded.ref().namespace());
            List<Workload> hostWorkloads = workloads;
            if (workloads.isEmpty() && resolution.startsWith("DNS") && !fqdn.startsWith("*")) {
                hostWorkloads = List.of(new Workload(fqdn, Map.of(), Map.of(), 1, Optional.empty(), loaded.ref()));
            }
            put(new ServiceInfo(fqdn, loaded.ref().namespace(), ports, "ServiceEntry", resolution, hostWorkloads,
                    loaded.ref()));
        }
    }

    private void put(ServiceInfo info) {
        if (byHost.get(info.fqdn()).isEmpty()) {
            byHost.put(info.fqdn(), info);
        }
    }

    private static Workload workload(WorkloadEntry entry, SourceRef source) {
        Map<String, Integer> ports = new HashMap<>();
        entry.getPorts().forEach((name, number) -> ports.put(name, number.intValue()));
        int weight = entry.getWeight() == null || entry.getWeight() == 0 ? 1 : entry.getWeight().intValue();
        return new Workload(nullToEmpty(entry.getAddress()), entry.getLabels(), ports, weight,
                Optional.ofNullable(entry.getLocality()), source);
    }

    private static String kubernetesProtocol(io.fabric8.kubernetes.api.model.ServicePort port) {
        String declared = port.getAppProtocol() != null ? port.getAppProtocol()
                : port.getName() == null ? "" : port.getName().split("-", 2)[0];
        String upper = declared.toUpperCase(Locale.ROOT);
        return switch (upper) {
            case "HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTPS", "TCP", "TLS", "MONGO" -> upper;
            case "H2C" -> "HTTP2";
            default -> "HTTP";
        };
    }

    private static int targetPort(IntOrString target, int number) {
        if (target == null || target.getIntVal() == null) {
            return number;
        }
        return target.getIntVal();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
