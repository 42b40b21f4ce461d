package io.meshgate.gateway.route;

import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.match.MatchResult;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;

/** The exchange attributes that carry one request's routing decisions from filter to filter. */
public final class IstioAttributes {

    /** The {@link LiveConfig} the request is served with, fixed for its whole life. */
    public static final String CONFIG = "meshgate.config";
    /** The {@link MatchResult.Matched} route. */
    public static final String MATCH = "meshgate.match";
    /** The {@link WeightedCluster} picked. */
    public static final String DESTINATION = "meshgate.destination";
    /** The {@link io.meshgate.translator.ir.Endpoint} picked, whose labels name the workload version. */
    public static final String ENDPOINT = "meshgate.endpoint";
    /** Envoy response flags, such as {@code NR} or {@code UH}, joined by {@code ,}. */
    public static final String RESPONSE_FLAGS = "meshgate.responseFlags";

    private IstioAttributes() {
    }

    public static MatchResult.@Nullable Matched match(ServerWebExchange exchange) {
        return exchange.getAttribute(MATCH);
    }

    /** Adds an Envoy response flag to the request, for the access log and metrics. */
    public static void flag(ServerWebExchange exchange, String flag) {
        String flags = exchange.getAttribute(RESPONSE_FLAGS);
        exchange.getAttributes().put(RESPONSE_FLAGS, flags == null ? flag : flags + "," + flag);
    }

    public static String flags(ServerWebExchange exchange) {
        String flags = exchange.getAttribute(RESPONSE_FLAGS);
        return flags == null ? "-" : flags;
    }
}
