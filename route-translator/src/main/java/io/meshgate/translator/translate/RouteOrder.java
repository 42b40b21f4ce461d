package io.meshgate.translator.translate;

import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The order of routes in a virtual host, as Istio builds it. Istio generates a VirtualService's routes for one
 * listener port only (a block whose {@code port} is another port is left out) and stops after the first catch-all
 * route. When several VirtualServices serve one host, their routes are concatenated in VirtualService order with
 * the catch-all routes moved to the end ({@code CombineVHostRoutes}), so one VirtualService's catch-all does not
 * hide another's rules.
 */
final class RouteOrder {

    private RouteOrder() {
    }

    /** The routes one VirtualService contributes to a listener on {@code port}. */
    static List<Route> forPort(List<Route> routes, int port) {
        List<Route> onPort = new ArrayList<>(routes.size());
        for (Route route : routes) {
            if (route.match().port().isEmpty() || route.match().port().get() == port) {
                onPort.add(route);
            }
        }
        return untilCatchAll(onPort, Optional.of(port));
    }

    /** The routes one VirtualService contributes to a mesh virtual host. */
    static List<Route> forMesh(List<Route> routes) {
        return untilCatchAll(routes, Optional.empty());
    }

    /**
     * Contributions for one listener port (or the mesh) concatenated in order, catch-all routes moved to the end,
     * relative order kept.
     */
    static List<Route> combine(List<Route> routes, Optional<Integer> port) {
        List<Route> out = new ArrayList<>(routes.size());
        List<Route> catchAll = new ArrayList<>();
        for (Route route : routes) {
            (isCatchAll(route.match(), port) ? catchAll : out).add(route);
        }
        out.addAll(catchAll);
        return out;
    }

    /**
     * Istio's {@code isCatchAllRoute}: no path condition or prefix {@code /}, and no header or query condition
     * ({@code method}, {@code scheme} and {@code authority} are header conditions in Envoy). A {@code port} condition
     * always holds on its own listener ({@code port}); in the mesh it is a condition.
     */
    static boolean isCatchAll(RouteMatch match, Optional<Integer> port) {
        boolean anyPath = match.uri().isEmpty()
                || match.uri().get() instanceof StringMatcher.Prefix prefix && prefix.value().equals("/");
        if (!anyPath) {
            return false;
        }
        boolean anyPort = match.port().isEmpty() || match.port().equals(port);
        return anyPort && match.scheme().isEmpty() && match.method().isEmpty()
                && match.authority().isEmpty() && match.headers().isEmpty() && match.withoutHeaders().isEmpty()
                && match.queryParams().isEmpty();
    }

    private static List<Route> untilCatchAll(List<Route> routes, Optional<Integer> port) {
        for (int i = 0; i < routes.size(); i++) {
            if (isCatchAll(routes.get(i).match(), port)) {
                return routes.subList(0, i + 1);
            }
        }
        return routes;
    }
}
