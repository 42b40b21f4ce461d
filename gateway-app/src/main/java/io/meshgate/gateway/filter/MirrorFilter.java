package io.meshgate.gateway.filter;

import io.meshgate.gateway.lb.Balancers;
import io.meshgate.gateway.lb.ServerHashRequest;
import io.meshgate.gateway.route.FilterOrder;
import io.meshgate.gateway.route.RouteFilter;
import io.meshgate.translator.ir.Route;
import static java.util.Objects.requireNonNull;

import io.meshgate.gateway.proxy.UpstreamHeaders;
import io.meshgate.gateway.route.StreamInfo;
import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.gateway.tls.UpstreamTlsClients;
import io.meshgate.translator.ir.ClientTls;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.Mirror;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.match.MatchResult;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Istio's {@code mirror} and {@code mirrors}: sends a copy of the given percentage of a forward route's requests to
 * each mirror's cluster (one draw per mirror), to an endpoint its load balancer picks (outcomes count for its outlier
 * detection, as the main requests' do), and never waits for it. The copy
 * has the headers, path and query the main backend gets, after rewrites, with {@code -shadow} appended to the
 * authority as Envoy does, in the protocol and with the TLS settings of the mirror's cluster (as the main request
 * would go to it). A mirror without endpoints is skipped.
 *
 * <p>Bodies: a request without a body is mirrored as it is; one whose {@code Content-Length} is at most
 * {@code maxBodyBytes} is mirrored with its body copied as it streams to the main backend; a larger or chunked one
 * is not mirrored, so mirrors cost a bounded amount of memory and never hold the main request back.
 */
public final class MirrorFilter implements RouteFilter {

    /** Its row in the one order table. */
    public static final int ORDER = FilterOrder.MIRROR.order();

    private static final Logger log = LoggerFactory.getLogger(MirrorFilter.class);

    private final MirrorClient client;
    private final Duration timeout;
    private final int maxBodyBytes;
    private final Balancers balancers;

    /**
     * Creates the filter.
     *
     * @param timeout the longest a mirrored exchange may take, unless the route's timeout is shorter
     * @param maxBodyBytes the largest body mirrored
     */
    public MirrorFilter(MirrorClient client, Balancers balancers, Duration timeout, int maxBodyBytes) {
        this.client = requireNonNull(client, "client");
        this.balancers = requireNonNull(balancers, "balancers");
        this.timeout = requireNonNull(timeout, "timeout");
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        MatchResult.Matched match = StreamInfo.of(exchange).match();
        if (match == null || !(match.route().action() instanceof RouteAction.Forward)
                || match.route().policies().mirrors().isEmpty()) {
            return chain.filter(exchange);
        }
        List<Target> targets = pickTargets(match.route().policies().mirrors(), exchange);
        if (targets.isEmpty()) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        long length = headers.getContentLength();
        if (headers.containsHeader(HttpHeaders.TRANSFER_ENCODING) || length > maxBodyBytes) {
            log.debug("Not mirroring {} {}: its body is chunked or over {} bytes", exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(), maxBodyBytes);
            return chain.filter(exchange);
        }
        Duration limit = match.route().policies().timeout().filter(t -> t.compareTo(timeout) < 0).orElse(timeout);
        if (length <= 0) {
            targets.forEach(target -> send(shadow(exchange, target, Optional.empty()), target, limit));
            return chain.filter(exchange);
        }
        BodyTee tee = new BodyTee(maxBodyBytes);
        targets.forEach(target -> send(shadow(exchange, target, Optional.of(tee.copies())), target, limit));
        return chain.filter(exchange.mutate().request(tee.wrap(exchange.getRequest())).build());
    }

    /** A mirror endpoint and the cluster it belongs to. */
    private record Target(Cluster cluster, Balancers.Pick pick) {
        Endpoint endpoint() {
            return pick.endpoint();
        }
    }

    private List<Target> pickTargets(List<Mirror> mirrors, ServerWebExchange exchange) {
        LiveConfig config = StreamInfo.of(exchange).requiredConfig();
        List<Target> targets = new ArrayList<>(mirrors.size());
        for (Mirror mirror : mirrors) {
            if (hits(mirror.percentage())) {
                config.cluster(mirror.cluster()).ifPresent(cluster -> balancers
                        .pick(cluster, new ServerHashRequest(exchange.getRequest()))
                        .ifPresent(pick -> targets.add(new Target(cluster, pick))));
            }
        }
        return targets;
    }

    /** Sends a copy, counted in its endpoint's requests in flight, its outcome reported for outlier detection. */
    private void send(ShadowRequest shadow, Target target, Duration limit) {
        target.pick().state().started();
        client.send(shadow, limit, status -> {
            target.pick().state().ended();
            balancers.report(target.cluster(), target.pick(), status);
        });
    }

    private ShadowRequest shadow(ServerWebExchange exchange, Target target, Optional<Flux<byte[]>> body) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = new HttpHeaders();
        UpstreamHeaders.forEach(exchange, 0, headers::add);
        String authority = request.getHeaders().getFirst(HttpHeaders.HOST);
        if (authority == null) {
            authority = request.getURI().getRawAuthority();
        }
        if (authority != null && !authority.isEmpty()) {
            headers.set(HttpHeaders.HOST, ShadowAuthority.of(authority));
        }
        Optional<ClientTls> tls = target.cluster().policy().tls().filter(UpstreamTlsClients::originates);
        URI incoming = request.getURI();
        String query = incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery();
        URI uri = URI.create((tls.isPresent() ? "https://" : "http://") + Balancers.hostPort(target.endpoint())
                + incoming.getRawPath() + query);
        return new ShadowRequest(request.getMethod(), uri, headers, body, tls,
                DestinationFilter.speaksHttp2(target.cluster()));
    }

    private static boolean hits(double percentage) {
        return percentage >= 100 || (percentage > 0 && ThreadLocalRandom.current().nextDouble(100) < percentage);
    }

    @Override
    public boolean appliesTo(Route route) {
        return route.action() instanceof RouteAction.Forward && !route.policies().mirrors().isEmpty();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public String toString() {
        return "MirrorFilter{order=" + ORDER + ", timeout=" + timeout + ", maxBodyBytes=" + maxBodyBytes + "}";
    }
}
