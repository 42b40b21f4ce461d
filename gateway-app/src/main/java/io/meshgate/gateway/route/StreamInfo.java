package io.meshgate.gateway.route;

import static java.util.Objects.requireNonNull;

import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RequestView;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.web.server.ServerWebExchange;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClientResponse;

/**
 * What one request met on its way through the gateway, in one typed record, as Envoy's {@code StreamInfo}: the
 * configuration and route it was served with, the destination and endpoint picked, its tries, the upstream response
 * in hand, its response flags. Filters write it, the proxy reads its upstream target, and the metrics read it when
 * the request ends. One exchange attribute holds it, in place of one attribute per fact (a request then carried a
 * dozen, and the attribute map resized on every request).
 *
 * <p>The route deadline, which only the timeout and retry filters share, stays an attribute of theirs.
 *
 * <p>The configuration, route and trusted-peer flag are set on the connection's event loop before the route's
 * filters run, and read after; what a try writes (the upstream, the response, flags) may be read on another thread,
 * so those fields are volatile.
 */
public final class StreamInfo {

    private static final String ATTRIBUTE = "meshgate.streamInfo";

    private @Nullable LiveConfig config;
    private MatchResult.@Nullable Matched match;
    private @Nullable RequestView request;
    private boolean trustedPeer;
    private volatile @Nullable WeightedCluster destination;
    private volatile @Nullable Endpoint endpoint;
    private volatile @Nullable UpstreamTarget upstream;
    private volatile @Nullable UpstreamTries tries;
    private volatile int attempt;
    private volatile @Nullable HttpClientResponse upstreamResponse;
    private volatile @Nullable Connection upstreamConnection;
    private volatile @Nullable String responseFlags;
    private volatile @Nullable Integer grpcStatusFromTrailers;
    private volatile @Nullable String requestId;

    private StreamInfo() {
    }

    /** The record of the exchange's request, created with the first call. */
    public static StreamInfo of(ServerWebExchange exchange) {
        Map<String, Object> attributes = exchange.getAttributes();
        Object info = attributes.get(ATTRIBUTE);
        if (info == null) {
            StreamInfo created = new StreamInfo();
            info = attributes.putIfAbsent(ATTRIBUTE, created);
            return info == null ? created : (StreamInfo) info;
        }
        return (StreamInfo) info;
    }

    /** The record of a request the listeners routed (it has a configuration), or null. */
    public static @Nullable StreamInfo routed(ServerWebExchange exchange) {
        Object info = exchange.getAttributes().get(ATTRIBUTE);
        return info instanceof StreamInfo routed && routed.config != null ? routed : null;
    }

    /** The configuration the request is served with, fixed for its whole life; null before routing. */
    public @Nullable LiveConfig config() {
        return config;
    }

    /** The configuration, for a filter of a routed request. */
    public LiveConfig requiredConfig() {
        return requireNonNull(config, "config");
    }

    void config(LiveConfig config) {
        this.config = config;
    }

    /** The route matched, or null before (or without) a match. */
    public MatchResult.@Nullable Matched match() {
        return match;
    }

    /** The request as it was routed: its authority, scheme, port, path and query before any filter changed them. */
    public @Nullable RequestView request() {
        return request;
    }

    void match(MatchResult.Matched match, RequestView request) {
        this.match = match;
        this.request = request;
    }

    /** Whether the request's peer is a trusted proxy, whose forwarding headers are kept. */
    public boolean trustedPeer() {
        return trustedPeer;
    }

    public void trustedPeer(boolean trusted) {
        this.trustedPeer = trusted;
    }

    /** The weighted destination picked (kept for the retries of the request). */
    public @Nullable WeightedCluster destination() {
        return destination;
    }

    public void destination(WeightedCluster destination) {
        this.destination = destination;
    }

    /** The endpoint of the last try, whose labels name the workload version. */
    public @Nullable Endpoint endpoint() {
        return endpoint;
    }

    /** Where the try now starting goes; null when no destination filter picked an endpoint. */
    public @Nullable UpstreamTarget upstream() {
        return upstream;
    }

    /** The endpoint and how to reach it, for the try now starting. */
    public void upstream(Endpoint endpoint, UpstreamTarget upstream) {
        this.endpoint = endpoint;
        this.upstream = upstream;
    }

    /** The request's tries, once the retry filter started them. */
    public @Nullable UpstreamTries tries() {
        return tries;
    }

    public void tries(UpstreamTries tries) {
        this.tries = tries;
    }

    /** The number of the try under way, 1 for the first; 0 when the request is tried once. */
    public int attempt() {
        return attempt;
    }

    public void attempt(int attempt) {
        this.attempt = attempt;
    }

    /** The upstream response whose headers arrived for the last try, if one did and was not discarded. */
    public @Nullable HttpClientResponse upstreamResponse() {
        return upstreamResponse;
    }

    /** The connection the upstream response's body is still to be read from. */
    public @Nullable Connection upstreamConnection() {
        return upstreamConnection;
    }

    /** The response (with its connection) of the last try; nulls forget it. */
    public void upstreamResponse(@Nullable HttpClientResponse response, @Nullable Connection connection) {
        this.upstreamResponse = response;
        this.upstreamConnection = connection;
    }

    /** Adds an Envoy response flag, such as {@code NR} or {@code UH}, for the access log and metrics. */
    public void flag(String flag) {
        String flags = responseFlags;
        responseFlags = flags == null ? flag : flags + "," + flag;
    }

    /** The response flags joined by {@code ,}; {@code -} when there are none. */
    public String flags() {
        String flags = responseFlags;
        return flags == null ? "-" : flags;
    }

    /** The {@code grpc-status} the upstream sent in its trailers, once its body has ended; null before or without. */
    public @Nullable Integer grpcStatusFromTrailers() {
        return grpcStatusFromTrailers;
    }

    public void grpcStatusFromTrailers(int code) {
        this.grpcStatusFromTrailers = code;
    }

    /** The request's {@code x-request-id}, generated by {@code generator} the first time it is asked for. */
    public String requestId(Supplier<String> generator) {
        String id = requestId;
        if (id == null) {
            id = generator.get();
            requestId = id;
        }
        return id;
    }
}
