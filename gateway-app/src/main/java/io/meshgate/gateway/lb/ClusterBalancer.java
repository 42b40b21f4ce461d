package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.LoadBalancer;
import io.meshgate.translator.ir.OutlierDetection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the endpoints of one cluster, as its DestinationRule says: among the endpoints outlier detection has not
 * ejected (all of them in panic, when fewer than {@code minHealthPercent} are left), passing over those a retry must
 * avoid while another is left, with {@code simple} ROUND_ROBIN, RANDOM or LEAST_REQUEST, Istio's default: of two
 * endpoints drawn at random, the one with fewer requests in flight (Envoy's power of two choices); or with
 * {@code consistentHash} ({@link ConsistentHashing}).
 */
final class ClusterBalancer {

    private final String name;
    private final Map<String, EndpointState> states = new ConcurrentHashMap<>();
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private volatile ConsistentHashing hashing;
    private final ClusterLimits limits = new ClusterLimits();

    ClusterBalancer(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    ClusterLimits limits() {
        return limits;
    }

    EndpointState state(Endpoint endpoint) {
        return states.computeIfAbsent(Balancers.hostPort(endpoint), EndpointState::new);
    }

    /** Every ejection so far. */
    int ejections() {
        return ejections.get();
    }

    /** The endpoints ejected now, as {@code address:port}. */
    List<String> ejected(Cluster cluster, long now) {
        List<String> ejected = new ArrayList<>();
        for (Endpoint endpoint : cluster.endpoints()) {
            EndpointState state = state(endpoint);
            if (state.isEjected(now)) {
                ejected.add(state.hostPort());
            }
        }
        return ejected;
    }

    /**
     * Picks an endpoint; {@code request} is the request being balanced, needed by {@code consistentHash} only, and
     * {@code setCookie} receives a {@code Set-Cookie} value when the policy issues an affinity cookie.
     */
    Optional<Balancers.Pick> pick(Cluster cluster, Set<String> avoid, long now,
            java.util.function.Supplier<HashRequest> request, java.util.function.Consumer<String> setCookie) {
        List<Endpoint> endpoints = cluster.endpoints();
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        List<Endpoint> candidates = healthy(cluster, now);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<LoadBalancer.ConsistentHash> hash = cluster.policy().loadBalancer()
                .flatMap(LoadBalancer::consistentHash);
        if (hash.isPresent()) {
            Endpoint chosen = hashing(hash.get()).pick(candidates, request.get(), avoid, setCookie);
            return Optional.of(new Balancers.Pick(chosen, state(chosen)));
        }
        if (!avoid.isEmpty()) {
            List<Endpoint> fresh = candidates.stream().filter(e -> !avoid.contains(Balancers.hostPort(e))).toList();
            candidates = fresh.isEmpty() ? candidates : fresh;
        }
        Endpoint chosen = switch (cluster.policy().loadBalancer().flatMap(LoadBalancer::simple)
                .orElse("LEAST_REQUEST")) {
            case "ROUND_ROBIN" -> candidates.get(Math.floorMod(cursor.getAndIncrement(), candidates.size()));
            case "RANDOM" -> candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
            default -> leastRequest(candidates);
        };
        return Optional.of(new Balancers.Pick(chosen, state(chosen)));
    }

    private ConsistentHashing hashing(LoadBalancer.ConsistentHash settings) {
        ConsistentHashing current = hashing;
        if (current == null || !current.settings().equals(settings)) {
            current = new ConsistentHashing(settings);
            hashing = current;
        }
        return current;
    }

    /** Those not ejected; all of them when fewer than minHealthPercent are left (Envoy's panic mode). */
    private List<Endpoint> healthy(Cluster cluster, long now) {
        Optional<OutlierDetection> detection = cluster.policy().outlierDetection();
        List<Endpoint> endpoints = cluster.endpoints();
        if (detection.isEmpty()) {
            return endpoints;
        }
        List<Endpoint> healthy = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            if (!state(endpoint).isEjected(now)) {
                healthy.add(endpoint);
            }
        }
        int minHealthPercent = detection.get().minHealthPercent();
        if (minHealthPercent > 0 && healthy.size() * 100 < minHealthPercent * endpoints.size()) {
            return endpoints;
        }
        return healthy;
    }

    private Endpoint leastRequest(List<Endpoint> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(candidates.size());
        int second = random.nextInt(candidates.size() - 1);
        if (second >= first) {
            second++;
        }
        Endpoint a = candidates.get(first);
        Endpoint b = candidates.get(second);
        return state(b).active() < state(a).active() ? b : a;
    }

    /**
     * Counts a try's outcome against its endpoint: a status, or 0 for no answer (refused, reset, timed out).
     *
     * @return whether the endpoint was ejected by it
     */
    boolean report(Cluster cluster, EndpointState state, int status, long now) {
        Optional<OutlierDetection> detection = cluster.policy().outlierDetection();
        if (detection.isEmpty()) {
            return false;
        }
        boolean ejected = state.report(status, detection.get(), mayEject(cluster, detection.get(), now), now);
        if (ejected) {
            ejections.incrementAndGet();
        }
        return ejected;
    }

    /**
     * Envoy's {@code max_ejection_percent}: one more ejection only while the share ejected stays within it; one
     * endpoint may always be ejected, whatever the percentage.
     */
    private boolean mayEject(Cluster cluster, OutlierDetection detection, long now) {
        int ejectedNow = ejected(cluster, now).size();
        return ejectedNow == 0 || 100.0 * (ejectedNow + 1) / cluster.endpoints().size()
                <= detection.maxEjectionPercent();
    }
}
