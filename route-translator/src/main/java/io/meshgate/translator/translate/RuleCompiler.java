package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.Destination;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.Mirror;
import io.meshgate.translator.ir.RetryPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.RoutePolicies;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.load.Loaded;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles the http rules of one VirtualService into routes, once; the routes are then shared by every virtual host
 * the VirtualService serves.
 */
final class RuleCompiler {

    /**
     * One route with the match block it came from and the index of its rule, and the route's hash code, worked out
     * once: the snapshot version combines the hash codes of all routes, and most of them are reused.
     */
    record CompiledRoute(Route route, MatchConverter.Block block, int rule, int hash) {
        CompiledRoute(Route route, MatchConverter.Block block, int rule) {
            this(route, block, rule, route.hashCode());
        }
    }

    private final Reporter reporter;
    private final Destinations destinations;
    private final ClusterCollector clusters;
    private final DestinationHosts hosts;
    private final TranslatorOptions options;

    RuleCompiler(Reporter reporter, Destinations destinations, ClusterCollector clusters, DestinationHosts hosts,
            TranslatorOptions options) {
        this.reporter = reporter;
        this.destinations = destinations;
        this.clusters = clusters;
        this.hosts = hosts;
        this.options = options;
    }

    List<CompiledRoute> compile(Loaded<VirtualService> loaded) {
        SourceRef vs = loaded.ref();
        List<HTTPRoute> http = loaded.resource().getSpec().getHttp();
        MatchConverter matches = new MatchConverter(reporter, vs, options.gatewayLabels());
        List<CompiledRoute> out = new ArrayList<>();
        List<List<MatchConverter.Block>> blocksByRule = new ArrayList<>();
        for (int i = 0; i < http.size(); i++) {
            String path = "spec.http[" + i + "]";
            List<MatchConverter.Block> blocks = blocks(http.get(i), path, matches);
            blocksByRule.add(blocks);
            if (blocks.isEmpty()) {
                continue;
            }
            RouteParts parts = parts(http.get(i), vs, path, matches);
            for (MatchConverter.Block block : blocks) {
                String name = "virtualservice/" + vs.namespace() + "/" + vs.name() + "/http/" + i + "/match/"
                        + block.index();
                Route route = new Route(name, vs.at(path), block.match(), parts.action(), parts.policies());
                out.add(new CompiledRoute(route, block, i));
            }
        }
        Reachability.check(blocksByRule, vs, reporter);
        return out;
    }

    private List<MatchConverter.Block> blocks(HTTPRoute rule, String path, MatchConverter matches) {
        if (rule.getMatch().isEmpty()) {
            return List.of(MatchConverter.Block.ANY);
        }
        List<MatchConverter.Block> blocks = new ArrayList<>();
        for (int j = 0; j < rule.getMatch().size(); j++) {
            matches.convert(rule.getMatch().get(j), path, j).ifPresent(blocks::add);
        }
        return blocks;
    }

    /** The action and policies of a rule, or a 500 direct response when its action cannot work. */
    private record RouteParts(RouteAction action, RoutePolicies policies) {
    }

    private RouteParts parts(HTTPRoute rule, SourceRef vs, String path, MatchConverter matches) {
        RoutePolicyConverter policy = new RoutePolicyConverter(reporter, vs, matches);
        var fault = policy.fault(rule.getFault(), path + ".fault");
        var cors = policy.cors(rule.getCorsPolicy(), path + ".corsPolicy");
        var headers = RoutePolicyConverter.headers(rule.getHeaders());
        Optional<RouteAction> action = new ActionConverter(reporter, vs, destinations, clusters, matches)
                .convert(rule, path);
        if (action.isEmpty()) {
            return new RouteParts(new RouteAction.DirectResponse(500, Optional.of(
                    "route disabled by a configuration error in " + vs.display() + " " + path)), RoutePolicies.NONE);
        }
        if (!(action.get() instanceof RouteAction.Forward forward)) {
            return new RouteParts(action.get(), new RoutePolicies(headers, fault, Optional.empty(), Optional.empty(),
                    List.of(), cors, List.of()));
        }
        // Istio: a timeout of 0s disables the timeout, as leaving it out does
        Optional<Duration> timeout = rule.getTimeout() == null ? Optional.empty()
                : reporter.duration(rule.getTimeout(), vs, path + ".timeout").filter(d -> !d.isZero());
        RetryPolicy retry = rule.getRetries() != null
                ? RetryConverter.convert(rule.getRetries(), reporter, vs, path + ".retries", "VirtualService")
                : seedRetry(forward).orElse(RetryPolicy.MESH_DEFAULT);
        return new RouteParts(forward, new RoutePolicies(headers, fault, timeout, Optional.of(retry),
                mirrors(rule, vs, path, policy), cors, List.of()));
    }

    /** The retries a DestinationRule's non-Istio {@code retryPolicy} gives, when all destinations agree on one. */
    private Optional<RetryPolicy> seedRetry(RouteAction.Forward forward) {
        Set<Optional<RetryPolicy>> found = forward.clusters().stream()
                .map(WeightedCluster::destination)
                .map(d -> hosts.of(d.fqdn()).seedRetry(d.subset()))
                .collect(Collectors.toSet());
        return found.size() == 1 ? found.iterator().next() : Optional.empty();
    }

    private List<Mirror> mirrors(HTTPRoute rule, SourceRef vs, String path, RoutePolicyConverter policy) {
        List<Mirror> mirrors = new ArrayList<>();
        boolean both = rule.getMirror() != null && !rule.getMirrors().isEmpty();
        if (both) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, path + ".mirror",
                    "mirror and mirrors are both set (expected: one of them); only mirrors applies");
        }
        if (rule.getMirror() != null && !both) {
            double percentage = 100;
            if (rule.getMirrorPercentage() != null && rule.getMirrorPercentage().getValue() != null) {
                percentage = policy.checkedPercent(rule.getMirrorPercentage().getValue(),
                        path + ".mirrorPercentage.value");
            } else if (rule.getMirrorPercent() != null) {
                reporter.report(Code.DEPRECATED, vs, path + ".mirrorPercent",
                        "deprecated (expected: mirrorPercentage)");
                percentage = policy.checkedPercent(rule.getMirrorPercent(), path + ".mirrorPercent");
            }
            mirror(rule.getMirror(), vs, path + ".mirror", percentage).ifPresent(mirrors::add);
        }
        for (int m = 0; m < rule.getMirrors().size(); m++) {
            var entry = rule.getMirrors().get(m);
            String mirrorPath = path + ".mirrors[" + m + "]";
            double percentage = entry.getPercentage() == null || entry.getPercentage().getValue() == null ? 100
                    : policy.checkedPercent(entry.getPercentage().getValue(), mirrorPath + ".percentage.value");
            if (entry.getDestination() == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, mirrorPath + ".destination",
                        "missing (expected: a destination)");
                continue;
            }
            mirror(entry.getDestination(), vs, mirrorPath + ".destination", percentage).ifPresent(mirrors::add);
        }
        return mirrors;
    }

    private Optional<Mirror> mirror(Destination destination, SourceRef vs, String path, double percentage) {
        Optional<DestinationRef> ref = destinations.resolve(destination, vs, path);
        return ref.map(r -> new Mirror(clusters.clusterFor(r), r, percentage));
    }
}
