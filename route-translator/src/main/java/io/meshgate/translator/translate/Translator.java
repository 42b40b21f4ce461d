package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The translation pipeline: known services → DestinationRules → Gateway servers → VirtualService rules → virtual
 * hosts → clusters. A pure function: no I/O, no global state; the same resources always give the same snapshot.
 */
public final class Translator {

    private Translator() {
    }

    public static TranslationResult translate(ResourceSet in, TranslatorOptions options) {
        Reporter reporter = new Reporter();
        ServiceRegistry registry = ServiceRegistry.of(in, options);
        DestinationRules rules = DestinationRules.of(in.destinationRules(), registry, reporter);
        GatewayServers servers = GatewayServers.of(in.gateways(), options, reporter);
        ClusterCollector clusters = new ClusterCollector(registry, rules);
        RuleCompiler compiler = new RuleCompiler(reporter, new Destinations(registry, rules, reporter), clusters,
                rules, options);
        TlsRuleCompiler tlsCompiler = new TlsRuleCompiler(reporter, new Destinations(registry, rules, reporter),
                clusters, options.gatewayLabels());
        VirtualHosts hosts = new VirtualHosts(servers, registry, reporter, options.gatewayNamespace(),
                RateLimits.of(in, options, reporter));
        TlsRouteBinder tlsRoutes = new TlsRouteBinder(servers, reporter, options.gatewayNamespace());
        for (Loaded<VirtualService> vs : inIstioOrder(in.virtualServices())) {
            if (checkSpec(vs, reporter)) {
                bindSafely(vs, compiler, hosts, reporter);
                bindTlsSafely(vs, tlsCompiler, tlsRoutes, reporter);
            }
        }
        hosts.reportServersWithoutRoutes();
        tlsRoutes.reportServersWithoutRoutes();
        List<Listener> listeners = hosts.listeners(tlsRoutes);
        List<VirtualHost> mesh = hosts.mesh();
        List<Cluster> used = referenced(clusters.build(), listeners, mesh);
        Snapshot snapshot = new Snapshot(version(listeners, mesh, used), listeners, mesh, used);
        return new TranslationResult(snapshot, diagnostics(in, reporter));
    }

    /** One resource that trips a bug is left out with a diagnostic; the others still apply. */
    private static void bindSafely(Loaded<VirtualService> vs, RuleCompiler compiler, VirtualHosts hosts,
            Reporter reporter) {
        try {
            hosts.bind(vs, compiler.compile(vs));
        } catch (RuntimeException e) {
            reporter.report(Code.INTERNAL_ERROR, vs.ref(), "", "left out after an internal error: " + e);
        }
    }

    private static void bindTlsSafely(Loaded<VirtualService> vs, TlsRuleCompiler compiler, TlsRouteBinder routes,
            Reporter reporter) {
        try {
            routes.bind(vs, compiler.compile(vs));
        } catch (RuntimeException e) {
            reporter.report(Code.INTERNAL_ERROR, vs.ref(), "spec.tls", "left out after an internal error: " + e);
        }
    }

    /**
     * Istio's {@code sortConfigByCreationTime}: the oldest VirtualService first, then by name, then by namespace.
     * Files have no age unless they say, so name and namespace usually decide.
     */
    private static List<Loaded<VirtualService>> inIstioOrder(List<Loaded<VirtualService>> virtualServices) {
        return virtualServices.stream()
                .sorted(Comparator.comparing((Loaded<VirtualService> vs) ->
                                Objects.requireNonNullElse(vs.resource().getMetadata().getCreationTimestamp(), ""))
                        .thenComparing(vs -> vs.ref().name())
                        .thenComparing(vs -> vs.ref().namespace()))
                .toList();
    }

    private static boolean checkSpec(Loaded<VirtualService> vs, Reporter reporter) {
        var spec = vs.resource().getSpec();
        if (spec == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs.ref(), "spec", "missing (expected: hosts and http)");
            return false;
        }
        if (spec.getHosts().isEmpty()) {
            // valid Istio: a VirtualService without hosts is a delegate, applied only through a root's delegate
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, vs.ref(), "spec.hosts", "no hosts: a delegate "
                    + "VirtualService, and delegation is not supported by this gateway version; not applied");
            return false;
        }
        if (!spec.getTcp().isEmpty()) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, vs.ref(), "spec.tcp",
                    "tcp routes are not applied by this gateway version");
        }
        return true;
    }

    private static List<Cluster> referenced(List<Cluster> all, List<Listener> listeners, List<VirtualHost> mesh) {
        Set<String> names = new LinkedHashSet<>();
        listeners.forEach(l -> l.virtualHosts().forEach(v -> collect(v, names)));
        listeners.forEach(l -> l.tlsRoutes().forEach(r -> r.clusters().forEach(c -> names.add(c.cluster()))));
        mesh.forEach(v -> collect(v, names));
        return all.stream().filter(c -> names.contains(c.name())).toList();
    }

    private static void collect(VirtualHost host, Set<String> names) {
        for (Route route : host.routes()) {
            if (route.action() instanceof RouteAction.Forward forward) {
                forward.clusters().forEach(c -> names.add(c.cluster()));
            }
            route.policies().mirrors().forEach(m -> names.add(m.cluster()));
        }
    }

    private static String version(List<Listener> listeners, List<VirtualHost> mesh, List<Cluster> clusters) {
        long hash = 1125899906842597L;
        hash = 31 * hash + listeners.hashCode();
        hash = 31 * hash + mesh.hashCode();
        hash = 31 * hash + clusters.hashCode();
        return String.format("%016x", hash);
    }

    private static List<Diagnostic> diagnostics(ResourceSet in, Reporter reporter) {
        Map<SourceRef, Loaded<?>> byRef = new HashMap<>();
        in.resources().forEach(r -> byRef.put(r.ref(), r));
        Set<Diagnostic> all = new LinkedHashSet<>(in.diagnostics());
        for (Diagnostic d : reporter.diagnostics()) {
            Loaded<?> loaded = byRef.get(d.resource());
            all.add(loaded == null ? d : d.withLocation(loaded.locate(d.fieldPath()).or(Optional::empty)));
        }
        List<Diagnostic> sorted = new ArrayList<>(all);
        sorted.sort(Diagnostic.ORDER);
        return sorted;
    }
}
