package io.meshgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.translate.TranslationResult;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

class RouteChainsTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [shop.example.com]
              ports: [{number: 80, name: http, protocol: HTTP}]
              resolution: STATIC
              endpoints: [{address: 127.0.0.1}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [shop.example.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /faulty}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 1}}}
                route: [{destination: {host: shop.example.com}}]
              - match: [{uri: {prefix: /plain}}]
                route: [{destination: {host: shop.example.com}}]
              - route: [{destination: {host: shop.example.com}}]
            """;

    /** A filter every chain has, ordered by the given number. */
    private record Always(int order) implements GlobalFilter, Ordered {
        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            return chain.filter(exchange);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    /** A filter only routes with a fault need. */
    private record FaultOnly(int order) implements RouteFilter {
        @Override
        public boolean appliesTo(Route route) {
            return route.policies().fault().isPresent();
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            return chain.filter(exchange);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    private static LiveConfig config(long generation) {
        TranslationResult result = Translator.translate(ResourceLoader.loadText("shop.yaml", CONFIG),
                TranslatorOptions.DEFAULTS);
        assertThat(result.diagnostics()).isEmpty();
        return LiveConfig.of(generation, result.snapshot(), result.diagnostics());
    }

    private static List<Route> routes(LiveConfig config) {
        return config.snapshot().listeners().get(0).virtualHosts().get(0).routes();
    }

    private static final GlobalFilter END = (exchange, chain) -> Mono.empty();

    private final Always last = new Always(Ordered.LOWEST_PRECEDENCE);
    private final Always first = new Always(-5);
    private final FaultOnly fault = new FaultOnly(100);
    private final RouteChains chains = new RouteChains(List.of(last, fault, first), END);

    @Test
    void aRouteGetsTheFiltersItNeedsInTheirOrder() {
        LiveConfig config = config(1);
        List<Route> routes = routes(config);

        assertThat(chains.chain(config, routes.get(0))).containsExactly(first, fault, last, END);
        assertThat(chains.chain(config, routes.get(1))).containsExactly(first, last, END);
    }

    @Test
    void theTerminalComesAfterEvenTheLowestPrecedence() {
        LiveConfig config = config(1);

        GlobalFilter[] chain = chains.chain(config, routes(config).get(2));
        assertThat(chain[chain.length - 1]).isSameAs(END);
    }

    @Test
    void routesWithTheSameNeedsShareOneChain() {
        LiveConfig config = config(1);
        List<Route> routes = routes(config);

        assertThat(chains.chain(config, routes.get(1))).isSameAs(chains.chain(config, routes.get(2)));
    }

    @Test
    void aRequestOnAnOlderConfigurationDoesNotReplaceTheNewerChains() {
        LiveConfig older = config(1);
        LiveConfig newer = config(2);
        GlobalFilter[] compiled = chains.chain(newer, routes(newer).get(1));

        assertThat(chains.chain(older, routes(older).get(0))).containsExactly(first, fault, last, END);
        assertThat(chains.chain(newer, routes(newer).get(1))).isSameAs(compiled);
    }
}
