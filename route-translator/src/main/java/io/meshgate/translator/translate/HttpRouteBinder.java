package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Binds the http routes of one VirtualService to Gateway servers and to the mesh, following Istio's binding rules:
 * {@code gateways} names the Gateways ({@code mesh} when empty), a VirtualService host binds to a server host it
 * intersects, and the VirtualService must be exported to the gateway's namespace. The result, one
 * {@link Contribution} per virtual host, depends on this VirtualService and the Gateways only, never on other
 * VirtualServices ({@link VirtualHosts} merges them), so it stays valid while both stay as they are.
 */
final class HttpRouteBinder {

    static final String MESH = "mesh";

    private final GatewayServers servers;
    private final ServiceRegistry registry;
    private final Reporter reporter;
    private final Optional<String> gatewayNamespace;

    HttpRouteBinder(GatewayServers servers, ServiceRegistry registry, Reporter reporter,
            Optional<String> gatewayNamespace) {
        this.servers = servers;
        this.registry = registry;
        this.reporter = reporter;
        this.gatewayNamespace = gatewayNamespace;
    }

    /** Where the routes of {@code loaded} go, in the order a full translation appends them. */
    List<Contribution> bind(Loaded<VirtualService> loaded, List<RuleCompiler.CompiledRoute> routes) {
        SourceRef vs = loaded.ref();
        List<String> gateways = loaded.resource().getSpec().getGateways();
        List<String> hosts = loaded.resource().getSpec().getHosts().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        Map<Route, Integer> hashes = new IdentityHashMap<>();
        routes.forEach(r -> hashes.put(r.route(), r.hash()));
        List<Contribution> out = new ArrayList<>();
        if (gateways.isEmpty()) {
            warnIfMeantForGateway(vs, hosts);
            bindMesh(vs, hosts, routes, hashes, out);
            return out;
        }
        Exposure exposure = new Exposure(hosts.size());
        for (int g = 0; g < gateways.size(); g++) {
            if (gateways.get(g).equals(MESH)) {
                bindMesh(vs, hosts, routes, hashes, out);
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
                List<Route> applicable = applicable(routes, key, vs.namespace());
                exposure.byGateway.put(g, bindGateway(vs, key, hosts, new Bound(applicable, hashes, out),
                        exposure.hosts));
            }
        }
        reportNotExposed(vs, gateways, hosts, exposure);
        return out;
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

    static String gatewayKey(String written, String namespace) {
        return written.contains("/") ? written : namespace + "/" + written;
    }

    /** Which hosts the applied Gateways expose, and how many each Gateway exposes, by index in {@code gateways}. */
    private static final class Exposure {
        final boolean[] hosts;
        final Map<Integer, Integer> byGateway = new TreeMap<>();

        Exposure(int hostCount) {
            this.hosts = new boolean[hostCount];
        }
    }

    /** The routes that apply at one Gateway, their hash codes, and where their contributions go. */
    private record Bound(List<Route> routes, Map<Route, Integer> hashes, List<Contribution> out) {
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

    private static List<Route> applicable(List<RuleCompiler.CompiledRoute> routes, String gateway,
            String namespace) {
        List<Route> applicable = new ArrayList<>(routes.size());
        for (RuleCompiler.CompiledRoute route : routes) {
            if (route.block().appliesToGateways() && appliesTo(route, gateway, namespace)) {
                applicable.add(route.route());
            }
        }
        return applicable;
    }

    /** Binds to the servers of one applied Gateway; returns how many of the hosts it exposes. */
    private int bindGateway(SourceRef vs, String key, List<String> hosts, Bound bound, boolean[] exposed) {
        int count = 0;
        for (int h = 0; h < hosts.size(); h++) {
            boolean found = false;
            for (GatewayServers.Entry entry : servers.ofGateway(key)) {
                for (GatewayServers.HostSpec spec : entry.hosts()) {
                    var domain = spec.admits(vs.namespace()) ? Hosts.intersection(spec.host(), hosts.get(h))
                            : Optional.<String>empty();
                    if (domain.isPresent()) {
                        found = true;
                        add(entry, domain.get(), bound);
                    }
                }
            }
            exposed[h] |= found;
            count += found ? 1 : 0;
        }
        return count;
    }

    private void add(GatewayServers.Entry entry, String domain, Bound bound) {
        if (!VirtualHosts.servesHttp(entry.server())) {
            return;
        }
        int port = entry.server().port();
        bound.out().add(Contribution.of(Optional.of(port), domain, List.of(domain), entry.server().name(),
                RouteOrder.forPort(bound.routes(), port), bound.hashes()));
    }

    private void bindMesh(SourceRef vs, List<String> hosts, List<RuleCompiler.CompiledRoute> routes,
            Map<Route, Integer> hashes, List<Contribution> out) {
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
            out.add(Contribution.of(Optional.empty(), fqdn, domains, MESH, RouteOrder.forMesh(applicable), hashes));
        }
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

    private static boolean appliesTo(RuleCompiler.CompiledRoute route, String gateway, String namespace) {
        List<String> only = route.block().gateways();
        return only.isEmpty() || only.stream().anyMatch(g -> g.equals(MESH) ? gateway.equals(MESH)
                : gatewayKey(g, namespace).equals(gateway));
    }
}
