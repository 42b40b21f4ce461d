package io.meshgate.translator.translate;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TrafficPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Gathers the clusters routes refer to and builds each once, with its endpoints and DestinationRule policy. */
final class ClusterCollector {

    /** A cluster asked for: its name and the destination it serves. */
    record Request(String name, DestinationRef destination) {
    }

    private final Map<String, DestinationRef> wanted = new TreeMap<>();
    private final List<Request> requested = new ArrayList<>();
    private final ServiceRegistry registry;
    private final DestinationRules rules;

    ClusterCollector(ServiceRegistry registry, DestinationRules rules) {
        this.registry = registry;
        this.rules = rules;
    }

    /** The name of the cluster for a destination, which will be in the snapshot. */
    String clusterFor(DestinationRef destination) {
        String name = Cluster.nameOf(destination.port(), destination.subset(), destination.fqdn());
        ask(new Request(name, destination));
        return name;
    }

    /** Asks for a cluster again, as an earlier translation did. */
    void ask(Request request) {
        wanted.putIfAbsent(request.name(), request.destination());
        requested.add(request);
    }

    /** How many clusters were asked for so far, to take those asked for from now on with {@link #requestedSince}. */
    int requestCount() {
        return requested.size();
    }

    /**
     * The clusters asked for since {@code count}, each name once (its first request): asking again for a cluster
     * already asked for changes nothing.
     */
    List<Request> requestedSince(int count) {
        Map<String, Request> first = new LinkedHashMap<>();
        for (Request request : requested.subList(count, requested.size())) {
            first.putIfAbsent(request.name(), request);
        }
        return List.copyOf(first.values());
    }

    /** The clusters asked for whose names are in {@code used}, sorted by name. */
    List<Cluster> build(Set<String> used) {
        List<Cluster> clusters = new ArrayList<>(used.size());
        wanted.forEach((name, destination) -> {
            if (used.contains(name)) {
                clusters.add(build(name, destination));
            }
        });
        return clusters;
    }

    private Cluster build(String name, DestinationRef destination) {
        Optional<ServiceRegistry.ServiceInfo> service = registry.find(destination.fqdn());
        Optional<DestinationRules.Rule> rule = rules.find(destination.fqdn());
        TrafficPolicy policy = rule.map(r -> rules.policyFor(r, destination.subset(), destination.port()))
                .orElse(TrafficPolicy.NONE);
        Optional<Map<String, String>> subsetLabels = rule.flatMap(r -> destination.subset()
                .map(r.subsets()::get)).map(DestinationRules.SubsetInfo::labels);
        if (service.isEmpty()) {
            return new Cluster(name, destination.fqdn(), destination.subset(), destination.port(), "HTTP", "none",
                    "NONE", policy, rule.map(DestinationRules.Rule::source), List.of());
        }
        ServiceRegistry.ServiceInfo info = service.get();
        Optional<ServiceRegistry.Port> port = info.port(destination.port());
        List<Endpoint> endpoints = new ArrayList<>();
        boolean unknownSubset = destination.subset().isPresent() && subsetLabels.isEmpty();
        for (ServiceRegistry.Workload workload : info.workloads()) {
            boolean selected = subsetLabels.map(l -> workload.labels().entrySet().containsAll(l.entrySet()))
                    .orElse(!unknownSubset);
            if (selected && !workload.address().isEmpty()) {
                endpoints.add(endpoint(workload, port, destination.port()));
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::port));
        return new Cluster(name, destination.fqdn(), destination.subset(), destination.port(),
                port.map(ServiceRegistry.Port::protocol).orElse("HTTP"), info.discovery(), info.resolution(), policy,
                rule.map(DestinationRules.Rule::source), endpoints);
    }

    private static Endpoint endpoint(ServiceRegistry.Workload workload, Optional<ServiceRegistry.Port> port,
            int number) {
        int target = port.map(p -> workload.namedPorts().getOrDefault(p.name(), p.targetPort())).orElse(number);
        SourceRef source = workload.source();
        return new Endpoint(workload.address(), target, workload.labels(), workload.weight(), workload.locality(),
                source);
    }
}
