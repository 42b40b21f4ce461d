package io.meshgate.gateway.filter;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks a destination by weight and an endpoint of its cluster round-robin, skipping endpoints a retry must avoid
 * while another one is left. Lock-free. Mirrors and relayed TLS connections pick their endpoints with it; requests
 * are balanced by the DestinationRule's policy ({@link io.meshgate.gateway.lb.Balancers}).
 */
public final class EndpointPicker {

    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

    public static WeightedCluster pickDestination(List<WeightedCluster> destinations) {
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        int total = 0;
        for (WeightedCluster destination : destinations) {
            total += destination.weight();
        }
        int ticket = ThreadLocalRandom.current().nextInt(Math.max(total, 1));
        for (WeightedCluster destination : destinations) {
            ticket -= destination.weight();
            if (ticket < 0) {
                return destination;
            }
        }
        return destinations.get(destinations.size() - 1);
    }

    /** The {@code address:port} of an endpoint, as a URI authority (IPv6 addresses in brackets). */
    static String hostPort(Endpoint endpoint) {
        return io.meshgate.gateway.lb.Balancers.hostPort(endpoint);
    }

    public Optional<Endpoint> pickEndpoint(Cluster cluster) {
        return pickEndpoint(cluster, Set.of());
    }

    /**
     * The next endpoint round-robin, passing over those in {@code avoid} (as {@link #hostPort}). When every endpoint
     * is to be avoided the plain round-robin pick is used, as Envoy's previous-hosts predicate gives up after its
     * attempts: a retry on a one-endpoint cluster goes to that endpoint again.
     */
    Optional<Endpoint> pickEndpoint(Cluster cluster, Set<String> avoid) {
        List<Endpoint> endpoints = cluster.endpoints();
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        AtomicInteger cursor = cursors.computeIfAbsent(cluster.name(), name -> new AtomicInteger());
        int start = cursor.getAndIncrement();
        for (int i = 0; i < endpoints.size() && !avoid.isEmpty(); i++) {
            Endpoint candidate = endpoints.get(Math.floorMod(start + i, endpoints.size()));
            if (!avoid.contains(hostPort(candidate))) {
                return Optional.of(candidate);
            }
        }
        return Optional.of(endpoints.get(Math.floorMod(start, endpoints.size())));
    }
}
