package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.Matched;
import io.meshgate.translator.match.MatchResult.NotMatched;
import io.meshgate.translator.match.MatchResult.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Picks the route for a request from one {@link Snapshot}, with Istio's semantics: the listener of the request's
 * port, then the virtual host of its host (exact domain, longest {@code *.suffix} wildcard, then {@code *}) among
 * those of the port or, on a TLS connection, of the server its handshake selected, then the first route in order
 * whose conditions all hold.
 *
 * <p>{@link #of(Snapshot)} builds every index and compiles every regex. Matching then takes no lock, and its cost
 * does not grow with the number of virtual hosts or routes: the listener is found by binary search over ports, the
 * virtual host by a few hash probes over the host, and within a virtual host only the routes whose uri condition
 * the path can meet are evaluated. Looking up the host and path allocates nothing, and neither does a match (the
 * results are prebuilt); only regex and query parameter conditions allocate, when evaluated. Instances are
 * immutable and safe to share between threads.
 */
public final class RouteMatcher {

    /** The listeners' ports, ascending; {@link #listeners} is in the same order. */
    private final int[] ports;
    private final ListenerRoutes[] listeners;
    private final HostIndex<RouteTable> mesh;

    private RouteMatcher(int[] ports, ListenerRoutes[] listeners, HostIndex<RouteTable> mesh) {
        this.ports = ports;
        this.listeners = listeners;
        this.mesh = mesh;
    }

    /** Indexes a snapshot. When two listeners share a port, the first one in the snapshot is used. */
    public static RouteMatcher of(Snapshot snapshot) {
        requireNonNull(snapshot, "snapshot");
        List<Listener> byPort = new ArrayList<>(snapshot.listeners());
        byPort.sort(Comparator.comparingInt(Listener::port)); // stable: the first of a port stays first
        List<ListenerRoutes> listeners = new ArrayList<>();
        for (Listener listener : byPort) {
            if (listeners.isEmpty() || listeners.get(listeners.size() - 1).listener().port() != listener.port()) {
                listeners.add(ListenerRoutes.build(listener));
            }
        }
        int[] ports = listeners.stream().mapToInt(l -> l.listener().port()).toArray();
        HostIndex<RouteTable> mesh = HostIndex.build(snapshot.mesh(), host -> RouteTable.build(null, host));
        return new RouteMatcher(ports, listeners.toArray(ListenerRoutes[]::new), mesh);
    }

    /** The route for a request that reached a gateway listener. */
    public MatchResult match(RequestView request) {
        requireNonNull(request, "request");
        int slot = Arrays.binarySearch(ports, request.port());
        if (slot < 0) {
            return new NotMatched(Reason.NO_LISTENER, "No listener on port " + request.port());
        }
        ListenerRoutes routes = listeners[slot];
        String server = request.server();
        if (server == null) {
            return match(request, routes.hosts(), null, routes.listener());
        }
        HostIndex<RouteTable> own = routes.byServer().get(server);
        return match(request, own != null ? own : HostIndex.empty(), routes.hosts(), routes.listener());
    }

    /**
     * The route for a request between workloads, over the snapshot's mesh virtual hosts. There is no listener: the
     * request's port only counts for routes with a {@code port} condition.
     */
    public MatchResult matchMesh(RequestView request) {
        requireNonNull(request, "request");
        return match(request, mesh, null, null);
    }

    /**
     * The route among {@code hosts}; {@code port}, when given, holds every virtual host of the port and tells a host
     * that another server serves from one that none does. Only misses build their detail message, so the common path
     * allocates nothing.
     */
    private static MatchResult match(RequestView request, HostIndex<RouteTable> hosts,
            @Nullable HostIndex<RouteTable> port, @Nullable Listener listener) {
        String authority = request.authority();
        int hostEnd = authority == null ? 0 : HostIndex.hostEnd(authority);
        if (authority == null || hostEnd == 0) {
            return new NotMatched(Reason.MISSING_HOST, "Request has no host (authority: \"" + authority + "\")");
        }
        RouteTable table = hosts.find(authority, hostEnd);
        if (table == null && port != null && port.find(authority, hostEnd) != null) {
            return new NotMatched(Reason.OTHER_SERVER, "Gateway server " + request.server() + " does not serve \""
                    + authority.substring(0, hostEnd) + "\"; another server of " + scope(listener) + " does");
        }
        if (table == null) {
            return new NotMatched(Reason.UNKNOWN_HOST,
                    "No virtual host of " + scope(listener) + " serves \"" + authority.substring(0, hostEnd) + "\"");
        }
        Matched matched = table.match(request);
        if (matched == null) {
            return new NotMatched(Reason.NO_ROUTE, "No route of virtual host " + table.virtualHost().name()
                    + " matches " + request.method() + " " + request.path());
        }
        return matched;
    }

    private static String scope(@Nullable Listener listener) {
        return listener == null ? "the mesh" : "listener " + listener.name();
    }

    /**
     * One listener with the index of all its virtual hosts and, by server, of each server's own: a request on a TLS
     * connection is matched with its server's.
     */
    private record ListenerRoutes(Listener listener, HostIndex<RouteTable> hosts,
            Map<String, HostIndex<RouteTable>> byServer) {
        ListenerRoutes {
            requireNonNull(listener, "listener");
            requireNonNull(hosts, "hosts");
            byServer = Map.copyOf(byServer);
        }

        static ListenerRoutes build(Listener listener) {
            Map<VirtualHost, RouteTable> tables = new IdentityHashMap<>();
            Map<String, List<VirtualHost>> ofServer = new LinkedHashMap<>();
            for (VirtualHost host : listener.virtualHosts()) {
                tables.put(host, RouteTable.build(listener, host));
                ofServer.computeIfAbsent(host.server(), s -> new ArrayList<>()).add(host);
            }
            Map<String, HostIndex<RouteTable>> byServer = new HashMap<>();
            ofServer.forEach((server, hosts) -> byServer.put(server, HostIndex.build(hosts, tables::get)));
            return new ListenerRoutes(listener, HostIndex.build(listener.virtualHosts(), tables::get), byServer);
        }
    }
}
