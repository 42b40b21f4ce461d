package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TlsRoute;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Binds VirtualService {@code tls} rules to the Gateway servers in {@code PASSTHROUGH} mode, as Istio builds a
 * gateway's SNI filter chains: a VirtualService binds to a server whose hosts intersect its own; a match block applies
 * when its {@code gateways} and {@code port} allow; its SNI names are those of {@code sniHosts} the server accepts. An
 * SNI name already routed on the port by an earlier rule stays with it (Envoy cannot have two filter chains for one
 * name).
 */
final class TlsRouteBinder {

    private static final String MESH = "mesh";
    private static final Set<String> TERMINATING = Set.of("SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL", "ISTIO_MUTUAL");

    private final Map<Integer, List<TlsRoute>> byPort = new TreeMap<>();
    private final Map<Integer, Map<String, String>> claimed = new HashMap<>();
    private final Set<String> serversWithRoutes = new HashSet<>();
    private final GatewayServers servers;
    private final Reporter reporter;

    private final Optional<String> gatewayNamespace;

    /** Binds to {@code servers}; {@code gatewayNamespace} as in {@link TranslatorOptions#gatewayNamespace()}. */
    TlsRouteBinder(GatewayServers servers, Reporter reporter, Optional<String> gatewayNamespace) {
        this.servers = servers;
        this.reporter = reporter;
        this.gatewayNamespace = gatewayNamespace;
    }

    /**
     * Whether a server relays TLS by SNI: {@code PASSTHROUGH} on a TLS or HTTPS port. ({@code AUTO_PASSTHROUGH}
     * routes by names encoded in the SNI and takes no VirtualService.)
     */
    static boolean isPassthrough(Server server) {
        return (server.protocol().equals("TLS") || server.protocol().equals("HTTPS"))
                && server.tls().map(ServerTls::mode).filter("PASSTHROUGH"::equals).isPresent();
    }

    void bind(Loaded<VirtualService> loaded, List<TlsRuleCompiler.Rule> rules) {
        if (rules.isEmpty()) {
            return;
        }
        SourceRef vs = loaded.ref();
        List<String> gateways = loaded.resource().getSpec().getGateways();
        List<String> hosts = loaded.resource().getSpec().getHosts().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (gateways.isEmpty() || gateways.contains(MESH)) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, vs, "spec.tls", "tls routes for the mesh "
                    + "(sidecars) are not applied by this gateway version; only those bound to Gateways are");
        }
        Set<String> terminating = new LinkedHashSet<>();
        int bound = 0;
        boolean toGateway = false;
        for (String written : gateways) {
            if (written.equals(MESH)) {
                continue;
            }
            String key = HttpRouteBinder.gatewayKey(written, vs.namespace());
            // not exported to the gateway's namespace: VirtualHosts reports it (GW0217)
            if (!HttpRouteBinder.exported(loaded.resource().getSpec().getExportTo(), vs.namespace(),
                    gatewayNamespace.orElse(key.substring(0, key.indexOf('/'))))) {
                continue;
            }
            toGateway |= !servers.ofGateway(key).isEmpty();
            for (GatewayServers.Entry entry : servers.ofGateway(key)) {
                List<String> domains = domains(entry, hosts, vs.namespace());
                if (domains.isEmpty()) {
                    continue;
                }
                if (isPassthrough(entry.server())) {
                    bound += bindServer(entry.server(), key, domains, rules, vs);
                } else if (entry.server().tls().map(ServerTls::mode).filter(TERMINATING::contains).isPresent()) {
                    terminating.add(entry.server().name());
                }
            }
        }
        if (!terminating.isEmpty()) {
            reporter.report(Code.INEFFECTIVE_FIELD, vs, "spec.tls", "Gateway servers " + terminating + " terminate "
                    + "TLS, so tls routes do not apply there (expected: tls.mode PASSTHROUGH; http rules serve "
                    + "servers that terminate TLS)");
        } else if (bound == 0 && toGateway) {
            reporter.report(Code.INEFFECTIVE_FIELD, vs, "spec.tls", "no Gateway server in tls.mode PASSTHROUGH "
                    + "takes these tls routes (expected: a PASSTHROUGH server exposing " + hosts + " on the port "
                    + "and Gateway the matches allow)");
        }
    }

    /** The hosts of the VirtualService a server exposes: the intersections of its hosts with the server's. */
    private static List<String> domains(GatewayServers.Entry entry, List<String> hosts, String namespace) {
        Set<String> domains = new LinkedHashSet<>();
        for (GatewayServers.HostSpec spec : entry.hosts()) {
            if (spec.admits(namespace)) {
                hosts.forEach(host -> Hosts.intersection(spec.host(), host).ifPresent(domains::add));
            }
        }
        return List.copyOf(domains);
    }

    /** Binds the rules to one passthrough server; returns how many routes it got. */
    private int bindServer(Server server, String gateway, List<String> domains, List<TlsRuleCompiler.Rule> rules,
            SourceRef vs) {
        Map<String, String> taken = claimed.computeIfAbsent(server.port(), p -> new HashMap<>());
        int count = 0;
        for (TlsRuleCompiler.Rule rule : rules) {
            for (TlsRuleCompiler.Block block : rule.blocks()) {
                boolean gatewayAllowed = block.gateways().isEmpty() || block.gateways().stream()
                        .anyMatch(g -> HttpRouteBinder.gatewayKey(g, vs.namespace()).equals(gateway));
                if (!gatewayAllowed || block.port().filter(p -> p != server.port()).isPresent()) {
                    continue;
                }
                String name = "virtualservice/" + vs.namespace() + "/" + vs.name() + "/tls/" + rule.index()
                        + "/match/" + block.index();
                String path = rule.origin().fieldPath() + ".match[" + block.index() + "].sniHosts";
                List<String> sniHosts = new ArrayList<>();
                for (String sni : block.sniHosts()) {
                    for (String domain : domains) {
                        Hosts.intersection(domain, sni).ifPresent(host -> claim(taken, host, name, sniHosts, vs, path));
                    }
                }
                if (!sniHosts.isEmpty()) {
                    byPort.computeIfAbsent(server.port(), p -> new ArrayList<>())
                            .add(new TlsRoute(name, rule.origin(), server.name(), sniHosts, rule.clusters()));
                    serversWithRoutes.add(server.name());
                    count++;
                }
            }
        }
        return count;
    }

    private void claim(Map<String, String> taken, String host, String route, List<String> sniHosts, SourceRef vs,
            String path) {
        String owner = taken.putIfAbsent(host, route);
        if (owner == null) {
            if (!sniHosts.contains(host)) {
                sniHosts.add(host);
            }
        } else if (!owner.equals(route)) {
            reporter.report(Code.INEFFECTIVE_MATCH, vs, path, "SNI host \"" + host + "\" is already routed by "
                    + owner + ", which comes first");
        }
    }

    List<TlsRoute> routes(int port) {
        return byPort.getOrDefault(port, List.of());
    }

    /** Reports the passthrough servers no tls route serves: every connection to them is closed. */
    void reportServersWithoutRoutes() {
        servers.byPort().values().stream().flatMap(List::stream).map(GatewayServers.Entry::server)
                .filter(TlsRouteBinder::isPassthrough)
                .filter(server -> !serversWithRoutes.contains(server.name()))
                .forEach(server -> reporter.report(Code.GATEWAY_SERVER_WITHOUT_ROUTES, Level.WARNING,
                        server.source().at(""), server.source().fieldPath(), "no VirtualService tls route serves "
                                + server.hosts() + " on port " + server.port() + " (TLS passthrough): connections "
                                + "to them are closed"));
    }
}
