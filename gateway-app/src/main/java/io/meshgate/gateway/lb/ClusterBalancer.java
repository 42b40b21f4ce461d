package io.meshgate.gateway.lb;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.LoadBalancer;
import io.meshgate.translator.ir.OutlierDetection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Picks the endpoints of one cluster, as its DestinationRule says: among the endpoints outlier detection has not
 * ejected (all of them in panic, when fewer than {@code minHealthPercent} are left), passing over those a retry must
 * avoid while another is left, with {@code simple} ROUND_ROBIN, RANDOM or LEAST_REQUEST, Istio's default: of two
 * endpoints drawn at random, the one with fewer requests in flight (Envoy's power of two choices); or with
 * {@code consistentHash} ({@link ConsistentHashing}). With {@code warmup}, an endpoint that joins the cluster
 * after it started gets a growing share of the traffic until the warmup has passed (Envoy's slow start).
 */
final class ClusterBalancer {

    private final String name;
    private final Map<String, EndpointState> states = new ConcurrentHashMap<>();
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicInteger ejections = new AtomicInteger();
    private volatile ConsistentHashing hashing;
    /** Set once the cluster's first endpoints are known: endpoints seen after that are new, and may warm up. */
    private volatile boolean started;
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
        EndpointState state = states.get(Balancers.hostPort(endpoint));
        return state != null ? state : states.computeIfAbsent(Balancers.hostPort(endpoint), hostPort -> {
            EndpointState created = new EndpointState(hostPort);
            // the endpoints the cluster starts with are warm; later ones join now
            if (started) {
                created.joined(System.nanoTime());
            }
            return created;
        });
    }

    /** The cluster's requests in flight: the sum over its endpoints. */
    int inFlight(Cluster cluster) {
        int total = 0;
        for (Endpoint endpoint : cluster.endpoints()) {
            total += state(endpoint).active();
        }
        return total;
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
     * Picks an endpoint for a try of {@code exchange}; only {@code consistentHash} reads the request, and sets the
     * affinity cookie it issues on the response.
     */
    Optional<Balancers.Pick> pick(Cluster cluster, Set<String> avoid, long now, ServerWebExchange exchange) {
        return pick(cluster, avoid, now, exchange, null);
    }

    /**
     * Picks an endpoint for what is not a request answered to a client (a mirrored request, a relayed connection):
     * {@code consistentHash} reads {@code request}, and no cookie is issued.
     */
    Optional<Balancers.Pick> pick(Cluster cluster, long now, HashRequest request) {
        return pick(cluster, Set.of(), now, null, request);
    }

    private Optional<Balancers.Pick> pick(Cluster cluster, Set<String> avoid, long now,
            @Nullable ServerWebExchange exchange, @Nullable HashRequest request) {
        List<Endpoint> endpoints = cluster.endpoints();
        if (endpoints.isEmpty()) {
            return Optional.empty();
        }
        if (!started) {
            endpoints.forEach(this::state);
            started = true;
        }
        List<Endpoint> candidates = healthy(cluster, now);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Optional<LoadBalancer.ConsistentHash> hash = cluster.policy().loadBalancer()
                .flatMap(LoadBalancer::consistentHash);
        if (hash.isPresent()) {
            Endpoint chosen = exchange == null
                    ? hashing(hash.get()).pick(candidates, requireNonNull(request), avoid, null)
                    : hashing(hash.get()).pick(candidates, new ServerHashRequest(exchange.getRequest()), avoid,
                            setCookie -> exchange.getResponse().beforeCommit(() -> {
                                exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, setCookie);
                                return Mono.empty();
                            }));
            return Optional.of(new Balancers.Pick(chosen, state(chosen)));
        }
        if (!avoid.isEmpty()) {
            List<Endpoint> fresh = candidates.stream().filter(e -> !avoid.contains(Balancers.hostPort(e))).toList();
            candidates = fresh.isEmpty() ? candidates : fresh;
        }
        long warmup = cluster.policy().loadBalancer().flatMap(LoadBalancer::warmup).map(Duration::toNanos).orElse(0L);
        List<Endpoint> pool = candidates;
        Endpoint chosen = switch (cluster.policy().loadBalancer().flatMap(LoadBalancer::simple)
                .orElse("LEAST_REQUEST")) {
            case "ROUND_ROBIN" -> warm(pool, warmup, now,
                    () -> pool.get(Math.floorMod(cursor.getAndIncrement(), pool.size())));
            case "RANDOM" -> warm(pool, warmup, now,
                    () -> pool.get(ThreadLocalRandom.current().nextInt(pool.size())));
            default -> leastRequest(pool, warmup, now);
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

    /**
     * Slow start for round robin and random: an endpoint still warming up is taken with the probability of its
     * warmth, else the next pick is tried (a few times at most).
     */
    private Endpoint warm(List<Endpoint> candidates, long warmup, long now,
            java.util.function.Supplier<Endpoint> next) {
        Endpoint pick = next.get();
        if (warmup <= 0) {
            return pick;
        }
        for (int i = 0; i < candidates.size() + 2; i++) {
            if (ThreadLocalRandom.current().nextDouble() < state(pick).warmth(warmup, now)) {
                return pick;
            }
            pick = next.get();
        }
        return pick;
    }

    private Endpoint leastRequest(List<Endpoint> candidates, long warmup, long now) {
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
        if (warmup <= 0) {
            return state(b).active() < state(a).active() ? b : a;
        }
        // slow start: an endpoint warming up weighs as if it had proportionally more requests in flight
        double loadA = (state(a).active() + 1) / state(a).warmth(warmup, now);
        double loadB = (state(b).active() + 1) / state(b).warmth(warmup, now);
        return loadB < loadA ? b : a;
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
