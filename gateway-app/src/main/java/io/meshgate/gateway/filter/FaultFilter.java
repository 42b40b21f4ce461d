package io.meshgate.gateway.filter;

import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.GrpcStatus;
import io.meshgate.gateway.route.LocalResponses;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.translator.ir.FaultPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.match.MatchResult;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code fault}: delays (response flag DI) and aborts (FI) the given percentage of requests. An abort
 * answers before any backend is called; a gRPC abort answers 200 with the {@code grpc-status} trailer-only response.
 */
public final class FaultFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.FAULT.order();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || match.route().policies().fault().isEmpty()) {
            return chain.filter(exchange);
        }
        FaultPolicy fault = match.route().policies().fault().get();
        Mono<Void> rest = abortOrContinue(fault, exchange, chain);
        if (fault.delay().isPresent() && hits(fault.delay().get().percentage())) {
            StreamInfo.of(exchange).flag("DI");
            return Mono.delay(fault.delay().get().fixedDelay()).then(rest);
        }
        return rest;
    }

    private static Mono<Void> abortOrContinue(FaultPolicy fault, ServerWebExchange exchange,
            GatewayFilterChain chain) {
        if (fault.abort().isEmpty() || !hits(fault.abort().get().percentage())) {
            return chain.filter(exchange);
        }
        FaultPolicy.Abort abort = fault.abort().get();
        if (abort.grpcStatus().isPresent()) {
            int code = GrpcStatus.code(abort.grpcStatus().get());
            return Mono.defer(() -> LocalResponses.grpc(exchange, code, "fault filter abort", "FI"));
        }
        return Mono.defer(() -> LocalResponses.respond(exchange, abort.httpStatus().orElse(500),
                "fault filter abort", "FI"));
    }

    private static boolean hits(double percentage) {
        return percentage >= 100 || (percentage > 0 && ThreadLocalRandom.current().nextDouble(100) < percentage);
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.policies().fault().isPresent();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
