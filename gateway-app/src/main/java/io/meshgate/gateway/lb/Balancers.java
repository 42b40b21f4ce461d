package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.ConnectionPool;
import io.meshgate.translator.ir.RetryBudget;
import io.meshgate.translator.ir.Endpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The load balancers of every cluster, keyed by cluster name so that their state (requests in flight, errors,
 * ejections) outlives configuration reloads that keep the cluster. Metrics per cluster:
 * {@code meshgate_outlier_ejections_total} and {@code meshgate_outlier_ejected_endpoints}.
 */
public final class Balancers {

    /** An endpoint chosen for a try, and its state, to count the try in and report its outcome to. */
    public record Pick(Endpoint endpoint, EndpointState state) {
    }

    private final Map<String, ClusterBalancer> clusters = new ConcurrentHashMap<>();
    private final Map<String, Cluster> latest = new ConcurrentHashMap<>();
    private final Set<String> measured = ConcurrentHashMap.newKeySet();
    private final MeterRegistry registry;

    public Balancers(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The {@code address:port} of an endpoint, as a URI authority (IPv6 addresses in brackets). */
    public static String hostPort(Endpoint endpoint) {
        String host = endpoint.address().contains(":") ? "[" + endpoint.address() + "]" : endpoint.address();
        return host + ":" + endpoint.port();
    }

    /**
     * The endpoint for a try of {@code exchange}, passing over those in {@code avoid} (as {@link #hostPort}) while
     * another is left. Empty when the cluster has no endpoint, or outlier detection has ejected all of them. An
     * affinity cookie the cluster's {@code consistentHash} issues is set on the response.
     */
    public Optional<Pick> pick(Cluster cluster, Set<String> avoid, ServerWebExchange exchange) {
        return balancer(cluster).pick(cluster, avoid, System.nanoTime(), exchange);
    }

    /**
     * The endpoint for what has no client response to carry a cookie: a mirrored request, a relayed connection
     * ({@link ConnectionHashRequest}). Balanced and ejected as requests are; {@code consistentHash} reads
     * {@code request} and never issues a cookie.
     */
    public Optional<Pick> pick(Cluster cluster, HashRequest request) {
        return balancer(cluster).pick(cluster, System.nanoTime(), request);
    }

    /** Whether a relayed connection may open, under its cluster's {@code tcp.maxConnections}. */
    public enum Admission {
        /** The cluster sets no limit: nothing is counted. */
        UNLIMITED,
        /** Counted: the connection must {@link #release} the cluster once it closes. */
        ADMITTED,
        /** Over the limit: the connection is refused (response flag UO). */
        OVERFLOW
    }

    /** Admits a relayed connection to a cluster under its {@code tcp.maxConnections}, without waiting. */
    public Admission admitConnection(Cluster cluster) {
        Optional<Integer> max = cluster.policy().connectionPool().flatMap(ConnectionPool::maxConnections);
        if (max.isEmpty()) {
            return Admission.UNLIMITED;
        }
        return balancer(cluster).limits().tryAcquire(max.get()) ? Admission.ADMITTED : Admission.OVERFLOW;
    }

    /**
     * Reports how a try to a picked endpoint ended: its response status, or 0 when it got none (connect failure,
     * reset, timeout). Counts for outlier detection when the cluster has it.
     */
    public void report(Cluster cluster, Pick pick, int status) {
        balancer(cluster).report(cluster, pick.state(), status, System.nanoTime());
    }

    /**
     * Admits a request to a cluster under its {@code connectionPool} limits, as Envoy's circuit breakers do: at most
     * {@code http2MaxRequests} requests in flight (whatever the protocol, as Envoy's {@code max_requests}), and for
     * HTTP/1.1 at most {@code maxConnections} upstream at once (one request per connection) with up to
     * {@code http1MaxPendingRequests} more waiting for one of them. Emits {@code true} once the
     * request may go (it must then {@link #release} the cluster), {@code false} when it is over the limits (503 UO).
     *
     * @return {@code null} when the cluster has no limits, so that nothing is counted
     */
    public @Nullable Mono<Boolean> admit(Cluster cluster, boolean http2) {
        Optional<ConnectionPool> pool = cluster.policy().connectionPool();
        if (pool.isEmpty()) {
            return null;
        }
        int maxRequests = pool.get().http2MaxRequests().orElse(Integer.MAX_VALUE);
        // HTTP/2 requests share connections as streams: only the request limit applies
        int maxConnections = http2 ? Integer.MAX_VALUE : pool.get().maxConnections().orElse(Integer.MAX_VALUE);
        int maxPending = pool.get().http1MaxPendingRequests().orElse(Integer.MAX_VALUE);
        if (maxRequests == Integer.MAX_VALUE && maxConnections == Integer.MAX_VALUE) {
            return null;
        }
        return balancer(cluster).limits().acquire(maxRequests, maxConnections, maxPending);
    }

    /**
     * Whether one more retry to the cluster may start: fewer than its {@code connectionPool.http.maxRetries} retries
     * are under way (Envoy's {@code max_retries} circuit breaker; unlimited when unset). A retry that may start must
     * call {@link #retryEnded} when it ends.
     */
    public boolean startRetry(Cluster cluster) {
        Optional<Integer> max = maxRetries(cluster);
        return max.isEmpty() || balancer(cluster).limits().startRetry(max.get());
    }

    /** A retry that {@link #startRetry} let start has ended. */
    public void retryEnded(Cluster cluster) {
        if (cluster.policy().retryBudget().isPresent()
                || cluster.policy().connectionPool().flatMap(ConnectionPool::maxRetries).isPresent()) {
            balancer(cluster).limits().retryEnded();
        }
    }

    /**
     * The retries that may be under way now: with a {@code retryBudget}, its percent of the cluster's requests in
     * flight and at least its {@code minRetryConcurrency} (it takes the place of {@code maxRetries}, as in Envoy);
     * else {@code connectionPool.http.maxRetries}; else no limit.
     */
    private Optional<Integer> maxRetries(Cluster cluster) {
        if (cluster.policy().retryBudget().isPresent()) {
            RetryBudget budget = cluster.policy().retryBudget().get();
            int inFlight = balancer(cluster).inFlight(cluster);
            return Optional.of(Math.max(budget.minRetryConcurrency(), (int) (budget.percent() / 100.0 * inFlight)));
        }
        return cluster.policy().connectionPool().flatMap(ConnectionPool::maxRetries);
    }

    /** An admitted request or connection to the cluster ended. */
    public void release(Cluster cluster) {
        balancer(cluster).limits().release();
    }

    /** The endpoints ejected now, by cluster, for the actuator. */
    public Map<String, List<String>> ejected() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        long now = System.nanoTime();
        latest.values().stream().sorted(java.util.Comparator.comparing(Cluster::name)).forEach(cluster -> {
            List<String> ejected = clusters.get(cluster.name()).ejected(cluster, now);
            if (!ejected.isEmpty()) {
                out.put(cluster.name(), ejected);
            }
        });
        return out;
    }

    private ClusterBalancer balancer(Cluster cluster) {
        // a read on every request; a write only when the configuration brought a new cluster object
        if (latest.get(cluster.name()) != cluster) {
            latest.put(cluster.name(), cluster);
        }
        ClusterBalancer balancer = clusters.get(cluster.name());
        if (balancer == null) {
            balancer = clusters.computeIfAbsent(cluster.name(), ClusterBalancer::new);
        }
        if (cluster.policy().outlierDetection().isPresent() && !measured.contains(cluster.name())
                && measured.add(cluster.name())) {
            registerMetrics(balancer);
        }
        return balancer;
    }

    private void registerMetrics(ClusterBalancer balancer) {
        String name = balancer.name();
        Gauge.builder("meshgate.outlier.ejected.endpoints", this,
                        self -> self.latest.containsKey(name)
                                ? balancer.ejected(self.latest.get(name), System.nanoTime()).size() : 0)
                .description("Endpoints of the cluster ejected by outlier detection now")
                .tag("cluster", name).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("meshgate.outlier.ejections", balancer,
                        ClusterBalancer::ejections)
                .description("Ejections by outlier detection").tag("cluster", name).register(registry);
    }
}
