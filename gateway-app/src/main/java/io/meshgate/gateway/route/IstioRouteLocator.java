package io.meshgate.gateway.route;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Spring Cloud Gateway sees one route: every request the matcher routed. Its filters read the IR route from the
 * exchange, so the route table never grows with the configuration and is never scanned.
 */
public final class IstioRouteLocator implements RouteLocator {

    public static final String ROUTE_ID = "istio";

    private final Route route = Route.async()
            .id(ROUTE_ID)
            .uri("http://upstream.invalid")
            .asyncPredicate(exchange -> Mono.just(IstioAttributes.match(exchange) != null))
            .build();

    @Override
    public Flux<Route> getRoutes() {
        return Flux.just(route);
    }
}
