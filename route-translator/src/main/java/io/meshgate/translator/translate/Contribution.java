package io.meshgate.translator.translate;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.Mirror;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routes one VirtualService gives one virtual host (a host on a listener port, or a host of the mesh), in Istio's
 * order for that port, split into ordinary and catch-all routes: a virtual host serves every VirtualService's
 * ordinary routes first, then their catch-alls ({@link RouteOrder#combine}). It carries what the snapshot needs of
 * its routes, worked out once: the clusters they use and their hash codes, so that a snapshot made mostly of
 * contributions kept from the previous translation costs little more than the contributions that changed.
 *
 * @param port the listener port, or empty for the mesh
 * @param host the host the virtual host is for
 * @param domains the names the virtual host answers, when this contribution is the first for it
 * @param server the Gateway server ({@code mesh} for the mesh) that exposes the host
 * @param ordinary the routes that are not catch-alls
 * @param catchAll the catch-all routes
 * @param clusters the names of the clusters the routes forward and mirror to
 */
record Contribution(Optional<Integer> port, String host, List<String> domains, String server, Part ordinary,
        Part catchAll, Set<String> clusters) {

    /**
     * Some routes in order, with a hash of the sequence that composes: the hash of {@code a} followed by {@code b}
     * is {@code a.hash * b.scale + b.hash}.
     */
    record Part(List<Route> routes, long hash, long scale) {
        static final Part EMPTY = new Part(List.of(), 0, 1);

        Part {
            routes = List.copyOf(routes);
        }

        /** {@code routes} with their hash codes. */
        static Part of(List<Route> routes, Map<Route, Integer> hashes) {
            long hash = 0;
            long scale = 1;
            for (Route route : routes) {
                Integer known = hashes.get(route);
                hash = 31 * hash + (known != null ? known : route.hashCode());
                scale *= 31;
            }
            return new Part(routes, hash, scale);
        }
    }

    Contribution {
        requireNonNull(port, "port");
        requireNonNull(host, "host");
        domains = List.copyOf(domains);
        requireNonNull(server, "server");
        requireNonNull(ordinary, "ordinary");
        requireNonNull(catchAll, "catchAll");
        clusters = Set.copyOf(clusters);
    }

    /** What {@code routes}, in order for {@code port}, contribute to a virtual host. */
    static Contribution of(Optional<Integer> port, String host, List<String> domains, String server,
            List<Route> routes, Map<Route, Integer> hashes) {
        List<Route> ordinary = new ArrayList<>(routes.size());
        List<Route> catchAll = new ArrayList<>();
        Set<String> clusters = new HashSet<>();
        for (Route route : routes) {
            (RouteOrder.isCatchAll(route.match(), port) ? catchAll : ordinary).add(route);
            if (route.action() instanceof RouteAction.Forward forward) {
                forward.clusters().stream().map(WeightedCluster::cluster).forEach(clusters::add);
            }
            route.policies().mirrors().stream().map(Mirror::cluster).forEach(clusters::add);
        }
        return new Contribution(port, host, domains, server, Part.of(ordinary, hashes), Part.of(catchAll, hashes),
                clusters);
    }

    boolean hasRoutes() {
        return !ordinary.routes().isEmpty() || !catchAll.routes().isEmpty();
    }
}
