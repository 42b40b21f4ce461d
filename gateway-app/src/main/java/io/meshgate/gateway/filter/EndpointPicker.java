package io.meshgate.gateway.filter;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** Picks a destination by weight and an endpoint of its cluster round-robin. Lock-free. */
final class EndpointPicker {

    private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

    static WeightedCluster pickDestination(List<WeightedCluster> destinations) {
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

    Optional<Endpoint> pickEndpoint(Cluster cluster) {
        List<Endpoint> endpoints = cluster.endpoints();
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        AtomicInteger cursor = cursors.computeIfAbsent(cluster.name(), name -> new AtomicInteger());
        return Optional.of(endpoints.get(Math.floorMod(cursor.getAndIncrement(), endpoints.size())));
    }
}
