package io.meshgate.gateway.filter;

import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.proxy.UpstreamExchange;
import io.meshgate.gateway.proxy.UpstreamFailure;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.route.UpstreamTarget;
import io.meshgate.gateway.route.UpstreamTries;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.tls.UpstreamTlsClients;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.HeaderOperations;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.match.MatchResult;
import java.net.ConnectException;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Picks the destination by weight, applies its header operations, has its cluster's load balancer pick an endpoint
 * ({@link Balancers}: the DestinationRule's algorithm, outlier detection) and points the proxy at it; the try counts
 * in the endpoint's requests in flight, and its outcome is reported back. The original Host goes to the backend, as
 * Envoy sends it. No endpoint, or every one ejected, answers 503 (response flag UH); an endpoint that refuses the
 * connection answers 503 (UF); a request over the cluster's {@code connectionPool} limits, 503 (UO).
 *
 * <p>Under {@link RetryFilter} (the request's {@link StreamInfo} has its {@link UpstreamTries}) this filter runs once
 * per try: a retry keeps the destination of the first try, as Envoy keeps the weighted cluster it chose, and picks an
 * endpoint not tried yet when there is one. Upstream failures are then left to the retry filter, which decides
 * whether to try again.
 */
public final class DestinationFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.DESTINATION.order();

    /** Envoy's answer when a cluster's circuit breaker refuses a request. */
    static final String OVERFLOW = "upstream connect error or disconnect/reset before headers. reset reason: overflow";

    private final Balancers balancers;

    public DestinationFilter(Balancers balancers) {
        this.balancers = balancers;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        StreamInfo info = StreamInfo.of(exchange);
        MatchResult.Matched match = info.match();
        if (match == null || !(match.route().action() instanceof RouteAction.Forward forward)) {
            return chain.filter(exchange);
        }
        LiveConfig config = info.requiredConfig();
        UpstreamTries tries = info.tries();
        WeightedCluster previous = info.destination();
        boolean retry = tries != null && tries.isRetry() && previous != null;
        WeightedCluster destination = retry ? previous : WeightedPick.destination(forward.clusters());
        info.destination(destination);
        ServerWebExchange next = HeaderPolicyFilter.apply(retry ? requestOnly(destination.headers())
                : destination.headers(), exchange);
        Set<String> avoid = tries == null ? Set.of() : tries.avoid();
        Optional<Cluster> cluster = config.cluster(destination.cluster());
        Optional<Balancers.Pick> pick = cluster.flatMap(c -> balancers.pick(c, avoid, next));
        if (pick.isEmpty()) {
            return LocalResponses.respond(next, 503, "no healthy upstream", "UH");
        }
        String hostPort = pick.get().state().hostPort();
        if (tries != null) {
            tries.tried(hostPort);
        }
        // every field of the try's target is set afresh: a retry may go to a destination with other policies
        UpstreamTarget target = new UpstreamTarget(hostPort,
                cluster.get().policy().tls().filter(UpstreamTlsClients::originates),
                cluster.get().policy().connectionPool(), speaksHttp2(cluster.get()));
        info.upstream(pick.get().endpoint(), target);
        Mono<Void> tried = counted(chain.filter(next), next, cluster.get(), pick.get());
        Mono<Boolean> admission = balancers.admit(cluster.get(), target.http2());
        if (admission == null) {
            return forward(next, tried, tries);
        }
        Cluster limited = cluster.get();
        return forward(next, admission.flatMap(admitted -> admitted
                ? tried.doFinally(signal -> balancers.release(limited))
                : LocalResponses.respond(next, 503, OVERFLOW, "UO")), tries);
    }

    /**
     * Counts the try in its endpoint's requests in flight until its answer's headers arrive, and reports its
     * outcome (the status, or no answer) for outlier detection.
     */
    private Mono<Void> counted(Mono<Void> forwarded, ServerWebExchange exchange, Cluster cluster,
            Balancers.Pick pick) {
        return Mono.defer(() -> {
            pick.state().started();
            return forwarded
                    .doOnSuccess(done -> {
                        var response = UpstreamExchange.response(exchange);
                        if (response != null) {
                            balancers.report(cluster, pick, response.status().code());
                        }
                    })
                    .doOnError(error -> {
                        if (UpstreamFailure.of(error).isPresent()) {
                            balancers.report(cluster, pick, 0);
                        }
                    })
                    .doFinally(signal -> pick.state().ended());
        });
    }

    private static Mono<Void> forward(ServerWebExchange forwarded, Mono<Void> tried, @Nullable UpstreamTries tries) {
        if (tries != null) {
            return tried;
        }
        return tried.onErrorResume(e -> isConnectFailure(e) && !committed(forwarded),
                e -> LocalResponses.respond(forwarded, 503, UpstreamFailure.CONNECT_FAILURE.body(), "UF"));
    }

    /** Istio's rule: service ports named or declared HTTP2, GRPC or GRPC-WEB are spoken to in HTTP/2. */
    static boolean speaksHttp2(Cluster cluster) {
        return switch (cluster.protocol()) {
            case "HTTP2", "GRPC", "GRPC-WEB" -> true;
            default -> false;
        };
    }

    /** A retry must not register the destination's response operations a second time. */
    private static HeaderPolicy requestOnly(HeaderPolicy policy) {
        return new HeaderPolicy(policy.request(), HeaderOperations.NONE);
    }

    private static boolean committed(ServerWebExchange exchange) {
        return exchange.getResponse().isCommitted();
    }

    private static boolean isConnectFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Forward;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
