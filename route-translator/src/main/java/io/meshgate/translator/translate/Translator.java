package io.meshgate.translator.translate;

import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The translation pipeline: known services → DestinationRules → Gateway servers → VirtualService rules → virtual
 * hosts → clusters. A pure function: no I/O, no global state; the same resources always give the same snapshot.
 * {@link IncrementalTranslator} runs the same pipeline with a memory of the previous translation, from which it
 * takes what is still valid instead of working it out again.
 */
public final class Translator {

    private Translator() {
    }

    /** Translates the resources from scratch. */
    public static TranslationResult translate(ResourceSet in, TranslatorOptions options) {
        return translate(in, options, new TranslationMemory());
    }

    /**
     * Translates the resources, taking from memory each VirtualService compiled before that is still valid: the
     * result is the one {@link #translate(ResourceSet, TranslatorOptions)} gives.
     */
    static TranslationResult translate(ResourceSet in, TranslatorOptions options, TranslationMemory memory) {
        Reporter reporter = new Reporter();
        ServiceRegistry registry = ServiceRegistry.of(in, options);
        DestinationRules rules = DestinationRules.of(in.destinationRules(), registry, reporter);
        GatewayServers servers = GatewayServers.of(in.gateways(), options, reporter);
        ClusterCollector clusters = new ClusterCollector(registry, rules);
        DestinationHosts destinationHosts = new DestinationHosts(registry, rules, memory.hosts());
        Destinations destinations = new Destinations(destinationHosts, reporter);
        Steps steps = new Steps(new RuleCompiler(reporter, destinations, clusters, destinationHosts, options),
                new TlsRuleCompiler(reporter, destinations, clusters, options.gatewayLabels()),
                new CompileCache.Context(reporter, clusters, destinationHosts),
                new HttpRouteBinder(servers, registry, reporter, options.gatewayNamespace()),
                memory.serversUnchanged(servers));
        VirtualHosts hosts = new VirtualHosts(servers, reporter, RateLimits.of(in, options, reporter));
        TlsRouteBinder tlsRoutes = new TlsRouteBinder(servers, reporter, options.gatewayNamespace());
        memory.beginTranslation();
        for (Loaded<VirtualService> vs : inIstioOrder(in.virtualServices())) {
            if (checkSpec(vs, reporter)) {
                bindSafely(vs, steps, memory, hosts, reporter);
                bindTlsSafely(vs, steps, memory, tlsRoutes, reporter);
            }
        }
        memory.endTranslation(destinationHosts.known(), servers);
        hosts.reportServersWithoutRoutes();
        tlsRoutes.reportServersWithoutRoutes();
        List<Listener> listeners = hosts.listeners(tlsRoutes);
        List<VirtualHost> mesh = hosts.mesh();
        List<Cluster> used = clusters.build(referenced(hosts, listeners));
        String version = SnapshotVersion.of(listeners, mesh, used, hosts::routeHash);
        return new TranslationResult(new Snapshot(version, listeners, mesh, used), diagnostics(in, reporter));
    }

    /** The steps one VirtualService goes through, set up for one translation. */
    private record Steps(RuleCompiler http, TlsRuleCompiler tls, CompileCache.Context context, HttpRouteBinder binder,
            boolean serversUnchanged) {
    }

    /** One resource that trips a bug is left out with a diagnostic; the others still apply. */
    private static void bindSafely(Loaded<VirtualService> vs, Steps steps, TranslationMemory memory,
            VirtualHosts hosts, Reporter reporter) {
        try {
            List<RuleCompiler.CompiledRoute> routes = memory.http().compile(vs, steps.http()::compile,
                    steps.context());
            hosts.add(vs.ref(), memory.bindings().bind(vs, routes, steps.binder(), reporter,
                    steps.serversUnchanged()));
        } catch (RuntimeException e) {
            reporter.report(Code.INTERNAL_ERROR, vs.ref(), "", "left out after an internal error: " + e);
        }
    }

    private static void bindTlsSafely(Loaded<VirtualService> vs, Steps steps, TranslationMemory memory,
            TlsRouteBinder routes, Reporter reporter) {
        try {
            routes.bind(vs, memory.tls().compile(vs, steps.tls()::compile, steps.context()));
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

    /** The clusters the routes of the snapshot use: those of its virtual hosts and of its tls routes. */
    private static Set<String> referenced(VirtualHosts hosts, List<Listener> listeners) {
        Set<String> names = new HashSet<>(hosts.clusters());
        for (Listener listener : listeners) {
            listener.tlsRoutes().forEach(r -> r.clusters().forEach(c -> names.add(c.cluster())));
        }
        return names;
    }

    private static List<Diagnostic> diagnostics(ResourceSet in, Reporter reporter) {
        Map<SourceRef, Loaded<?>> byRef = new HashMap<>();
        if (!reporter.diagnostics().isEmpty()) {
            in.resources().forEach(r -> byRef.put(r.ref(), r));
        }
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
