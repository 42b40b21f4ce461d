package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds VirtualServices to Gateway servers (and to the mesh) and assembles the virtual hosts of every listener,
 * following Istio's binding rules: {@code gateways} names the Gateways ({@code mesh} when empty), a VirtualService
 * host binds to a server host it intersects, and routes of several VirtualServices for one host are concatenated.
 */
final class VirtualHosts {

    private static final String MESH = "mesh";

    /** A virtual host being assembled. */
    private static final class Builder {
        final String name;
        final List<String> domains;
        final String server;
        final Optional<Integer> port;
        final List<Route> routes = new ArrayList<>();
        final Set<SourceRef> contributors = new HashSet<>();
        SourceRef firstContributor;

        Builder(String name, List<String> domains, String server, Optional<Integer> port) {
            this.name = name;
            this.domains = domains;
            this.server = server;
            this.port = port;
        }

        VirtualHost build() {
            return new VirtualHost(name, domains, server, RouteOrder.combine(routes, port));
        }
    }

    private final Map<Integer, Map<String, Builder>> byPort = new TreeMap<>();
    private final Map<String, Builder> mesh = new TreeMap<>();
    private final Set<String> serversWithRoutes = new HashSet<>();
    private final GatewayServers servers;
    private final ServiceRegistry registry;
    private final Reporter reporter;
    private final Optional<String> gatewayNamespace;
    private final RateLimits rateLimits;

    VirtualHosts(GatewayServers servers, ServiceRegistry registry, Reporter reporter,
            Optional<String> gatewayNamespace, RateLimits rateLimits) {
        this.gatewayNamespace = gatewayNamespace;
        this.servers = servers;
        this.registry = registry;
        this.reporter = reporter;
        this.rateLimits = rateLimits;
    }

    void bind(Loaded<VirtualService> loaded, List<RuleCompiler.CompiledRoute> routes) {
        SourceRef vs = loaded.ref();
        List<String> gateways = loaded.resource().getSpec().getGateways();
        List<String> hosts = loaded.resource().getSpec().getHosts().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (gateways.isEmpty()) {
            warnIfMeantForGateway(vs, hosts);
            bindMesh(vs, hosts, routes);
            return;
        }
        Exposure exposure = new Exposure(hosts.size());
        for (int g = 0; g < gateways.size(); g++) {
            if (gateways.get(g).equals(MESH)) {
                bindMesh(vs, hosts, routes);
                continue;
            }
            String key = gatewayKey(gateways.get(g), vs.namespace());
            if (!servers.exists(key)) {
                reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, vs, "spec.gateways[" + g + "]",
                        "Referenced Gateway not found: \"" + key + "\"");
                continue;
            }
            String namespace = gatewayNamespace.orElse(key.substring(0, key.indexOf('/')));
            if (!exported(loaded.resource().getSpec().getExportTo(), vs.namespace(), namespace)) {
                reporter.report(Code.NOT_EXPORTED_TO_GATEWAY, vs, "spec.exportTo", "not exported to namespace \""
                        + namespace + "\" of the gateway, so Gateway " + key + " does not apply its routes "
                        + "(expected: exportTo with \"" + namespace + "\" or \"*\")");
                continue;
            }
            if (!servers.ofGateway(key).isEmpty()) {
                exposure.byGateway.put(g, bindGateway(vs, key, hosts, routes, exposure.hosts));
            }
        }
        reportNotExposed(vs, gateways, hosts, exposure);
    }

    /**
     * Istio's {@code exportTo}: empty or {@code *} exports everywhere, {@code .} to the resource's own namespace,
     * any other entry to that namespace.
     */
    static boolean exported(List<String> exportTo, String ownNamespace, String to) {
        if (exportTo == null || exportTo.isEmpty()) {
            return true;
        }
        for (String entry : exportTo) {
            if (entry.equals("*") || entry.equals(to) || entry.equals(".") && ownNamespace.equals(to)) {
                return true;
            }
        }
        return false;
    }

    /** Which hosts the applied Gateways expose, and how many each Gateway exposes, by index in {@code gateways}. */
    private static final class Exposure {
        final boolean[] hosts;
        final Map<Integer, Integer> byGateway = new TreeMap<>();

        Exposure(int hostCount) {
            this.hosts = new boolean[hostCount];
        }
    }

    /**
     * A host none of the VirtualService's Gateways exposes gets no route there (unless the VirtualService also binds
     * to the mesh, where it may be meant to apply). A Gateway exposing none of the hosts is Istio's IST0132; it is
     * reported on the Gateway when its hosts are not already reported one by one.
     */
    private void reportNotExposed(SourceRef vs, List<String> gateways, List<String> hosts, Exposure exposure) {
        if (exposure.byGateway.isEmpty()) {
            return;
        }
        boolean mesh = gateways.contains(MESH);
        boolean anyExposed = false;
        for (int h = 0; h < hosts.size(); h++) {
            anyExposed |= exposure.hosts[h];
            if (!exposure.hosts[h] && !mesh) {
                reporter.report(Code.HOST_NOT_FOUND_IN_GATEWAY, vs, "spec.hosts[" + h + "]", "host \"" + hosts.get(h)
                        + "\" is not exposed by any Gateway in spec.gateways " + gateways);
            }
        }
        if (!anyExposed && !mesh) {
            return;
        }
        exposure.byGateway.forEach((g, count) -> {
            if (count == 0) {
                reporter.report(Code.HOST_NOT_FOUND_IN_GATEWAY, vs, "spec.gateways[" + g + "]", "Gateway "
                        + gateways.get(g) + " exposes none of the hosts " + hosts);
            }
        });
    }

    /** Binds to the servers of one applied Gateway; returns how many of the hosts it exposes. */
    private int bindGateway(SourceRef vs, String key, List<String> hosts, List<RuleCompiler.CompiledRoute> routes,
            boolean[] exposed) {
        List<Route> applicable = routes.stream()
                .filter(r -> r.block().appliesToGateways() && appliesTo(r, key, vs.namespace()))
                .map(RuleCompiler.CompiledRoute::route).toList();
        int count = 0;
        for (int h = 0; h < hosts.size(); h++) {
            boolean found = false;
            for (GatewayServers.Entry entry : servers.ofGateway(key)) {
                for (GatewayServers.HostSpec spec : entry.hosts()) {
                    var domain = spec.admits(vs.namespace()) ? Hosts.intersection(spec.host(), hosts.get(h))
                            : Optional.<String>empty();
                    if (domain.isPresent()) {
                        found = true;
                        add(entry, domain.get(), vs, applicable);
                    }
                }
            }
            exposed[h] |= found;
            count += found ? 1 : 0;
        }
        return count;
    }

    private void add(GatewayServers.Entry entry, String domain, SourceRef vs, List<Route> routes) {
        if (!servesHttp(entry.server())) {
            return;
        }
        int port = entry.server().port();
        Builder builder = byPort.computeIfAbsent(port, p -> new LinkedHashMap<>())
                .computeIfAbsent(domain, d -> new Builder(d + ":" + port, List.of(d), entry.server().name(),
                        Optional.of(port)));
        List<Route> forPort = rateLimits.atGateway(entry.server(), domain, vs, RouteOrder.forPort(routes, port));
        append(builder, vs, forPort, "host \"" + domain + "\" on port " + port);
        if (!forPort.isEmpty()) {
            serversWithRoutes.add(entry.server().name());
        }
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

    private void bindMesh(SourceRef vs, List<String> hosts, List<RuleCompiler.CompiledRoute> routes) {
        List<Route> applicable = routes.stream().filter(r -> appliesTo(r, MESH, vs.namespace()))
                .map(RuleCompiler.CompiledRoute::route).toList();
        for (int h = 0; h < hosts.size(); h++) {
            String host = hosts.get(h);
            if (host.equals("*")) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, "spec.hosts[" + h + "]",
                        "\"*\" (expected: a service host; the wildcard * is not allowed for the mesh)");
                continue;
            }
            String fqdn = registry.fqdn(host, vs.namespace());
            List<String> domains = fqdn.equals(host) ? List.of(fqdn) : List.of(fqdn, host);
            Builder builder = mesh.computeIfAbsent(fqdn, d -> new Builder(fqdn, domains, MESH, Optional.empty()));
            append(builder, vs, rateLimits.inMesh(vs, RouteOrder.forMesh(applicable)), "mesh host \"" + fqdn + "\"");
        }
    }

    private void append(Builder builder, SourceRef vs, List<Route> routes, String what) {
        if (!builder.contributors.add(vs)) {
            return;
        }
        if (builder.firstContributor == null) {
            builder.firstContributor = vs;
        } else {
            reporter.report(Code.MERGED_VIRTUAL_SERVICES, vs, "spec.hosts", "routes for " + what
                    + " are appended after those of " + builder.firstContributor.display()
                    + " (first match wins; catch-all routes go last)");
        }
        builder.routes.addAll(routes);
    }

    /** The seed's order-service example: a gateway host in a VirtualService that only binds to the mesh. */
    private void warnIfMeantForGateway(SourceRef vs, List<String> hosts) {
        for (int h = 0; h < hosts.size(); h++) {
            String host = hosts.get(h);
            outer:
            for (List<GatewayServers.Entry> entries : servers.byPort().values()) {
                for (GatewayServers.Entry entry : entries) {
                    for (GatewayServers.HostSpec spec : entry.hosts()) {
                        if (!spec.host().equals("*") && spec.admits(vs.namespace())
                                && Hosts.intersection(spec.host(), host).isPresent()) {
                            String gateway = entry.server().gateway();
                            String ref = gateway.startsWith(vs.namespace() + "/")
                                    ? gateway.substring(vs.namespace().length() + 1) : gateway;
                            reporter.report(Code.NOT_BOUND_TO_GATEWAY, vs, "spec.hosts[" + h + "]", "host \"" + host
                                    + "\" is exposed by Gateway " + gateway + ", but this VirtualService has no "
                                    + "gateways and so applies to the mesh only (expected: gateways: [" + ref + "])");
                            break outer;
                        }
                    }
                }
            }
        }
    }

    private boolean appliesTo(RuleCompiler.CompiledRoute route, String gateway, String namespace) {
        List<String> only = route.block().gateways();
        return only.isEmpty() || only.stream().anyMatch(g -> g.equals(MESH) ? gateway.equals(MESH)
                : gatewayKey(g, namespace).equals(gateway));
    }

    static String gatewayKey(String written, String namespace) {
        return written.contains("/") ? written : namespace + "/" + written;
    }

    List<Listener> listeners(TlsRouteBinder tlsRoutes) {
        List<Listener> listeners = new ArrayList<>();
        servers.byPort().forEach((port, entries) -> {
            List<VirtualHost> hosts = byPort.getOrDefault(port, Map.of()).values().stream()
                    .sorted((a, b) -> Hosts.SPECIFIC_FIRST.compare(a.domains.get(0), b.domains.get(0)))
                    .map(Builder::build).toList();
            listeners.add(new Listener("0.0.0.0_" + port, port, entries.get(0).server().protocol(),
                    entries.stream().map(GatewayServers.Entry::server).toList(), hosts, tlsRoutes.routes(port)));
        });
        return listeners;
    }

    List<VirtualHost> mesh() {
        return mesh.values().stream().map(Builder::build).toList();
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
