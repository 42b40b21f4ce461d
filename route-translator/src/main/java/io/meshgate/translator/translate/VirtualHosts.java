package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles the virtual hosts of every listener and of the mesh from the {@link Contribution}s of the VirtualServices,
 * in VirtualService order: the routes of several VirtualServices for one host are concatenated, ordinary routes
 * first, then catch-alls, as Istio merges them. It also keeps what the snapshot needs of the result: the clusters
 * the routes use and a hash of each virtual host's routes.
 */
final class VirtualHosts {

    /** A virtual host being assembled. */
    private static final class Builder {
        final String name;
        final List<String> domains;
        final String server;
        final List<Contribution> contributions = new ArrayList<>();
        final Set<SourceRef> contributors = new HashSet<>();
        SourceRef firstContributor;

        Builder(String name, List<String> domains, String server) {
            this.name = name;
            this.domains = domains;
            this.server = server;
        }

        VirtualHost build(Map<VirtualHost, Long> routeHashes) {
            int size = 0;
            for (Contribution contribution : contributions) {
                size += contribution.ordinary().routes().size() + contribution.catchAll().routes().size();
            }
            List<Route> routes = new ArrayList<>(size);
            long hash = 0;
            for (Contribution contribution : contributions) {
                routes.addAll(contribution.ordinary().routes());
                hash = hash * contribution.ordinary().scale() + contribution.ordinary().hash();
            }
            for (Contribution contribution : contributions) {
                routes.addAll(contribution.catchAll().routes());
                hash = hash * contribution.catchAll().scale() + contribution.catchAll().hash();
            }
            VirtualHost host = new VirtualHost(name, domains, server, routes);
            routeHashes.put(host, hash);
            return host;
        }
    }

    private final Map<Integer, Map<String, Builder>> byPort = new TreeMap<>();
    private final Map<String, Builder> mesh = new TreeMap<>();
    private final Set<String> serversWithRoutes = new HashSet<>();
    private final Set<String> clusters = new HashSet<>();
    private final Map<VirtualHost, Long> routeHashes = new IdentityHashMap<>();
    private final GatewayServers servers;
    private final Reporter reporter;
    private final RateLimits rateLimits;

    VirtualHosts(GatewayServers servers, Reporter reporter, RateLimits rateLimits) {
        this.servers = servers;
        this.reporter = reporter;
        this.rateLimits = rateLimits;
    }

    /**
     * Adds the routes of one VirtualService, after those of the VirtualServices added before, with the rate limits
     * in force where each is served. Contributions may come from an earlier translation: the limits are applied here,
     * every time, since policies change without the VirtualService changing.
     */
    void add(SourceRef vs, List<Contribution> contributions) {
        for (Contribution unlimited : contributions) {
            Contribution contribution = limited(vs, unlimited);
            Builder builder = builder(contribution);
            append(builder, vs, contribution);
            if (contribution.port().isPresent() && contribution.hasRoutes()) {
                serversWithRoutes.add(contribution.server());
            }
        }
    }

    /** The contribution with the rate limits of the server (or the mesh) it is served through; itself if none. */
    private Contribution limited(SourceRef vs, Contribution contribution) {
        if (rateLimits == RateLimits.NONE) {
            return contribution;
        }
        List<Route> ordinary = contribution.ordinary().routes();
        List<Route> catchAll = contribution.catchAll().routes();
        List<Route> limitedOrdinary;
        List<Route> limitedCatchAll;
        if (contribution.port().isEmpty()) {
            limitedOrdinary = rateLimits.inMesh(vs, ordinary);
            limitedCatchAll = rateLimits.inMesh(vs, catchAll);
        } else {
            Server server = server(contribution.port().get(), contribution.server());
            limitedOrdinary = rateLimits.atGateway(server, contribution.host(), vs, ordinary);
            limitedCatchAll = rateLimits.atGateway(server, contribution.host(), vs, catchAll);
        }
        if (same(limitedOrdinary, ordinary) && same(limitedCatchAll, catchAll)) {
            return contribution;
        }
        return new Contribution(contribution.port(), contribution.host(), contribution.domains(),
                contribution.server(), Contribution.Part.of(limitedOrdinary, Map.of()),
                Contribution.Part.of(limitedCatchAll, Map.of()), contribution.clusters());
    }

    /** Whether two lists hold the very same routes, in order. */
    private static boolean same(List<Route> a, List<Route> b) {
        if (a == b) {
            return true;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private Server server(int port, String name) {
        for (GatewayServers.Entry entry : servers.byPort().getOrDefault(port, List.of())) {
            if (entry.server().name().equals(name)) {
                return entry.server();
            }
        }
        throw new IllegalStateException("no server " + name + " on port " + port);
    }

    private Builder builder(Contribution contribution) {
        String host = contribution.host();
        if (contribution.port().isEmpty()) {
            return mesh.computeIfAbsent(host, h -> new Builder(h, contribution.domains(), contribution.server()));
        }
        int port = contribution.port().get();
        // Istio merges the plain-text servers of a port into one route configuration, but gives each server that
        // terminates TLS its own: a host two such servers expose is a virtual host of each, with each one's routes
        String key = ownsRoutes(server(port, contribution.server())) ? contribution.server() + " " + host : host;
        return byPort.computeIfAbsent(port, p -> new LinkedHashMap<>()).computeIfAbsent(key,
                k -> new Builder(host + ":" + port, contribution.domains(), contribution.server()));
    }

    /** Whether a server has a route configuration of its own: an HTTPS server that terminates TLS. */
    private static boolean ownsRoutes(Server server) {
        return server.protocol().equals("HTTPS") && servesHttp(server);
    }

    private void append(Builder builder, SourceRef vs, Contribution contribution) {
        if (!builder.contributors.add(vs)) {
            return;
        }
        if (builder.firstContributor == null) {
            builder.firstContributor = vs;
        } else {
            String what = contribution.port().map(p -> "host \"" + contribution.host() + "\" on port " + p)
                    .orElse("mesh host \"" + contribution.host() + "\"");
            reporter.report(Code.MERGED_VIRTUAL_SERVICES, vs, "spec.hosts", "routes for " + what
                    + " are appended after those of " + builder.firstContributor.display()
                    + " (first match wins; catch-all routes go last)");
        }
        builder.contributions.add(contribution);
        clusters.addAll(contribution.clusters());
    }

    /**
     * Whether http rules apply to a server: Istio applies them to HTTP, HTTP2, GRPC and GRPC-WEB servers and to
     * HTTPS servers that terminate TLS; TLS passthrough and TCP servers take tls and tcp routes only.
     */
    static boolean servesHttp(Server server) {
        String mode = server.tls().map(ServerTls::mode).orElse("");
        return switch (server.protocol()) {
            case "HTTP", "HTTP2", "GRPC", "GRPC-WEB" -> true;
            case "HTTPS" -> !mode.isEmpty() && !mode.equals("PASSTHROUGH") && !mode.equals("AUTO_PASSTHROUGH");
            default -> false;
        };
    }

    List<Listener> listeners(TlsRouteBinder tlsRoutes) {
        List<Listener> listeners = new ArrayList<>();
        servers.byPort().forEach((port, entries) -> {
            List<VirtualHost> hosts = byPort.getOrDefault(port, Map.of()).values().stream()
                    .sorted((a, b) -> Hosts.SPECIFIC_FIRST.compare(a.domains.get(0), b.domains.get(0)))
                    .map(b -> b.build(routeHashes)).toList();
            listeners.add(new Listener("0.0.0.0_" + port, port, entries.get(0).server().protocol(),
                    entries.stream().map(GatewayServers.Entry::server).toList(), hosts, tlsRoutes.routes(port)));
        });
        return listeners;
    }

    List<VirtualHost> mesh() {
        return mesh.values().stream().map(b -> b.build(routeHashes)).toList();
    }

    /** The names of the clusters the routes of the virtual hosts forward and mirror to. */
    Set<String> clusters() {
        return clusters;
    }

    /**
     * A hash of the routes of a virtual host: the hash codes of its routes, in order, combined as
     * {@link Contribution.Part} combines them; worked out when the host was built from its contributions.
     */
    long routeHash(VirtualHost host) {
        Long hash = routeHashes.get(host);
        return hash != null ? hash : Contribution.Part.of(host.routes(), Map.of()).hash();
    }

    /**
     * Reports servers no VirtualService routes through: every request to them gets 404. TLS passthrough servers are
     * the {@link TlsRouteBinder}'s to report.
     */
    void reportServersWithoutRoutes() {
        servers.byPort().values().stream().flatMap(List::stream).forEach(entry -> {
            Server server = entry.server();
            SourceRef source = server.source();
            if (TlsRouteBinder.isPassthrough(server)) {
                return;
            }
            if (!servesHttp(server)) {
                reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, source.at(""), source.fieldPath(),
                        "protocol " + server.protocol() + server.tls().map(t -> " with tls mode " + t.mode()).orElse("")
                                + " takes tcp routes, which this gateway version does not apply; HTTP servers and "
                                + "HTTPS servers terminating TLS serve http rules, PASSTHROUGH servers tls rules");
            } else if (!serversWithRoutes.contains(server.name())) {
                reporter.report(Code.GATEWAY_SERVER_WITHOUT_ROUTES, source.at(""), source.fieldPath(),
                        "no VirtualService routes requests for " + server.hosts() + " on port " + server.port()
                                + ": they get 404");
            }
        });
    }
}
