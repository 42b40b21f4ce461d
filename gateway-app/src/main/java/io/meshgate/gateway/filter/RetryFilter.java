package io.meshgate.gateway.filter;

import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.proxy.UpstreamExchange;
import io.meshgate.gateway.proxy.UpstreamFailure;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.route.UpstreamTries;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.RetryPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.match.MatchResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code retries}, as Envoy's router applies them: the rest of the chain (endpoint pick and proxy) runs once
 * per try, up to {@code attempts} more times after the first.
 *
 * <ul>
 *   <li>A try ends when the response headers arrive, the connection fails, or {@code perTryTimeout} passes. Whether
 *       it is retried is decided by {@link RetryOn}; a response the gateway answered itself (no healthy upstream) is
 *       never retried, nor is a fault-injected abort, which is answered before this filter.
 *   <li>Each upstream request carries {@code x-envoy-attempt-count} (1 for the first try). A retry keeps the chosen
 *       destination and goes to an endpoint not tried yet when one is left ({@code retryIgnorePreviousHosts}), after
 *       a fully jittered exponential back-off ({@link RetryBackoff}).
 *   <li>A response that is retried never reaches the client: its headers are removed and its body drained and
 *       released. Only the last try's response is written.
 *   <li>When the last try fails and retries were allowed but used up, the answer is the last try's (its status, or
 *       503 UF for a connect failure, 503 UC for a reset, 504 UT for a per-try timeout) with response flag URX.
 *   <li>A retry starts only while fewer than the cluster's {@code connectionPool.http.maxRetries} retries are under
 *       way; otherwise the last try's answer stands, with response flag UO (Envoy's retry overflow).
 * </ul>
 *
 * <p>Body rule: a request is sent again only if it has no body (no {@code Transfer-Encoding}, no or a zero
 * {@code Content-Length}), or if no try has started reading its body yet, as after a connect failure. A body that
 * was streamed to a backend is never replayed, and never buffered: such a request gets the answer of its last try,
 * without URX. See {@link ReplayableRequest}.
 *
 * <p>The route {@code timeout} bounds all tries together ({@link TimeoutFilter}); this filter starts its clock. A
 * per-try timeout bounds the wait for the response headers; once they arrived, only the route timeout bounds the
 * body. WebSocket upgrades get no per-try timeout, as their try lasts as long as the session.
 */
public final class RetryFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.RETRY.order();

    static final String ATTEMPT_COUNT = "x-envoy-attempt-count";

    private static final RetryPolicy NO_RETRIES = new RetryPolicy(0, Optional.empty(), List.of(),
            Duration.ofMillis(25), true, "none");

    private final Balancers balancers;

    public RetryFilter(Balancers balancers) {
        this.balancers = balancers;
    }

    /** Parsed conditions by their text: parsed once, not per request; distinct {@code retryOn} lists are few. */
    private final Map<List<String>, RetryOn> conditions = new ConcurrentHashMap<>();

    /** The state of one request's tries. */
    private record Tries(ServerWebExchange exchange, GatewayFilterChain chain, RetryPolicy policy, RetryOn retryOn,
            RetryBackoff backoff, ReplayableRequest request, UpstreamTries tries) {
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || !(match.route().action() instanceof RouteAction.Forward)) {
            return chain.filter(exchange);
        }
        RouteDeadline deadline = RouteDeadline.of(exchange);
        if (deadline != null) {
            deadline.start();
        }
        RetryPolicy policy = match.route().policies().retry().orElse(NO_RETRIES);
        ReplayableRequest request = new ReplayableRequest(exchange.getRequest());
        UpstreamTries tries = new UpstreamTries(policy.retryIgnorePreviousHosts());
        StreamInfo.of(exchange).tries(tries);
        RetryOn retryOn = conditions.computeIfAbsent(policy.retryOn(), RetryOn::parse);
        return attempt(new Tries(exchange.mutate().request(request).build(), chain, policy, retryOn,
                new RetryBackoff(policy.backoff()), request, tries));
    }

    private Mono<Void> attempt(Tries state) {
        ServerWebExchange exchange = state.exchange();
        // the proxy writes it into the upstream request as x-envoy-attempt-count
        StreamInfo.of(exchange).attempt(state.tries().start());
        Mono<Void> upstream = state.chain().filter(exchange);
        if (state.policy().perTryTimeout().isPresent() && !TimeoutFilter.isUpgrade(exchange)) {
            upstream = upstream.timeout(state.policy().perTryTimeout().get());
        }
        return upstream
                .then(Mono.fromSupplier(() -> TryOutcome.of(exchange)))
                .onErrorResume(error -> UpstreamFailure.of(error)
                        .<Mono<TryOutcome>>map(failure -> Mono.just(new TryOutcome.Failed(failure)))
                        .orElseGet(() -> Mono.error(error)))
                .flatMap(outcome -> afterTry(state, outcome));
    }

    private Mono<Void> afterTry(Tries state, TryOutcome outcome) {
        if (outcome instanceof TryOutcome.Answered) {
            return Mono.empty();
        }
        boolean retriable = state.retryOn().matches(outcome);
        boolean retriesLeft = state.tries().count() <= state.policy().attempts();
        if (retriable && retriesLeft && state.request().replayable()) {
            Cluster cluster = destinationCluster(state.exchange());
            if (cluster != null && !balancers.startRetry(cluster)) {
                // the cluster's maxRetries are all under way: the last answer stands, as Envoy's retry overflow
                StreamInfo.of(state.exchange()).flag("UO");
                return answer(state.exchange(), outcome, false);
            }
            UpstreamExchange.discard(state.exchange());
            Mono<Void> retry = Mono.delay(state.backoff().next()).then(Mono.defer(() -> {
                // a response that raced with a per-try timeout may have landed after the discard above
                UpstreamExchange.discard(state.exchange());
                return attempt(state);
            }));
            return cluster == null ? retry : retry.doFinally(signal -> balancers.retryEnded(cluster));
        }
        boolean exhausted = retriable && !retriesLeft && state.policy().attempts() > 0;
        return answer(state.exchange(), outcome, exhausted);
    }

    private static @Nullable Cluster destinationCluster(ServerWebExchange exchange) {
        StreamInfo info = StreamInfo.of(exchange);
        WeightedCluster destination = info.destination();
        LiveConfig config = info.config();
        return destination == null || config == null ? null : config.cluster(destination.cluster()).orElse(null);
    }

    /** The last try's answer: its response as it is, or the gateway's answer for its failure. */
    private static Mono<Void> answer(ServerWebExchange exchange, TryOutcome outcome, boolean exhausted) {
        String retryFlag = exhausted ? "URX" : "";
        if (!(outcome instanceof TryOutcome.Failed failed)) {
            if (exhausted) {
                StreamInfo.of(exchange).flag(retryFlag);
            }
            return Mono.empty();
        }
        UpstreamExchange.discard(exchange);
        UpstreamFailure failure = failed.failure();
        StreamInfo.of(exchange).flag(failure.flag());
        return LocalResponses.respond(exchange, failure.status(), failure.body(), retryFlag);
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Forward;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "RetryFilter{order=" + ORDER + "}";
    }
}
