package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.RouteDestination;
import io.fabric8.istio.api.api.networking.v1alpha3.TLSMatchAttributes;
import io.fabric8.istio.api.api.networking.v1alpha3.TLSRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Compiles the {@code tls} rules of one VirtualService, validated as Istio does: every match needs {@code sniHosts},
 * each within the VirtualService's hosts, and the rule needs a route. A match block that cannot apply at a gateway
 * ({@code sourceLabels}, {@code sourceNamespace}, {@code destinationSubnets}) is left out with a warning saying why.
 */
final class TlsRuleCompiler {

    /** One match block: the SNI names it takes, where it applies. */
    record Block(int index, List<String> sniHosts, List<String> gateways, Optional<Integer> port) {
    }

    /** One tls rule with the match blocks that can apply at a gateway and its weighted destinations. */
    record Rule(int index, SourceRef origin, List<Block> blocks, List<WeightedCluster> clusters) {
    }

    private final Reporter reporter;
    private final Destinations destinations;
    private final ClusterCollector clusters;
    private final Map<String, String> gatewayLabels;

    TlsRuleCompiler(Reporter reporter, Destinations destinations, ClusterCollector clusters,
            Map<String, String> gatewayLabels) {
        this.reporter = reporter;
        this.destinations = destinations;
        this.clusters = clusters;
        this.gatewayLabels = gatewayLabels;
    }

    List<Rule> compile(Loaded<VirtualService> loaded) {
        SourceRef vs = loaded.ref();
        List<String> hosts = loaded.resource().getSpec().getHosts().stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        List<TLSRoute> tls = loaded.resource().getSpec().getTls();
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < tls.size(); i++) {
            String path = "spec.tls[" + i + "]";
            TLSRoute rule = tls.get(i);
            if (rule.getMatch().isEmpty()) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, path + ".match",
                        "missing (expected: at least one match with sniHosts)");
                continue;
            }
            List<Block> blocks = new ArrayList<>();
            for (int j = 0; j < rule.getMatch().size(); j++) {
                block(rule.getMatch().get(j), j, path + ".match[" + j + "]", vs, hosts).ifPresent(blocks::add);
            }
            Optional<List<WeightedCluster>> destinations = destinations(rule.getRoute(), vs, path + ".route");
            if (destinations.isPresent() && !blocks.isEmpty()) {
                rules.add(new Rule(i, vs.at(path), blocks, destinations.get()));
            }
        }
        return rules;
    }

    private Optional<Block> block(TLSMatchAttributes match, int index, String path, SourceRef vs,
            List<String> hosts) {
        if (match.getSniHosts().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, path + ".sniHosts",
                    "missing (expected: at least one SNI host)");
            return Optional.empty();
        }
        List<String> sniHosts = new ArrayList<>();
        for (int k = 0; k < match.getSniHosts().size(); k++) {
            String sni = match.getSniHosts().get(k).toLowerCase(Locale.ROOT);
            if (hosts.stream().anyMatch(host -> Hosts.covers(host, sni))) {
                sniHosts.add(sni);
            } else {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, path + ".sniHosts[" + k + "]", "\"" + sni
                        + "\" (expected: a subset of one of the VirtualService's hosts " + hosts + ")");
            }
        }
        if (sniHosts.isEmpty()) {
            return Optional.empty();
        }
        if (!match.getDestinationSubnets().isEmpty()) {
            reporter.report(Code.INEFFECTIVE_FIELD, vs, path + ".destinationSubnets", "destinationSubnets match "
                    + "the address a sidecar's client connects to, which an edge gateway does not route by; this "
                    + "match block is left out");
            return Optional.empty();
        }
        boolean appliesToGateways = match.getSourceNamespace() == null
                && gatewayLabels.entrySet().containsAll(match.getSourceLabels().entrySet());
        if (!appliesToGateways) {
            reporter.report(Code.INEFFECTIVE_FIELD, vs, path, "sourceLabels/sourceNamespace select sidecar "
                    + "clients: this match block never matches traffic entering through a gateway");
            return Optional.empty();
        }
        return Optional.of(new Block(index, sniHosts, match.getGateways(),
                Optional.ofNullable(match.getPort()).map(Long::intValue)));
    }

    private Optional<List<WeightedCluster>> destinations(List<RouteDestination> routes, SourceRef vs, String path) {
        if (routes.isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, path, "missing (expected: at least one destination)");
            return Optional.empty();
        }
        List<DestinationRef> resolved = new ArrayList<>();
        for (int j = 0; j < routes.size(); j++) {
            String destinationPath = path + "[" + j + "].destination";
            if (routes.get(j).getDestination() == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, vs, destinationPath, "missing (expected: a destination)");
                return Optional.empty();
            }
            Optional<DestinationRef> ref = destinations.resolve(routes.get(j).getDestination(), vs, destinationPath);
            if (ref.isEmpty()) {
                return Optional.empty();
            }
            resolved.add(ref.get());
        }
        Optional<int[]> weights = Weights.of(routes.stream().map(RouteDestination::getWeight).toList(), reporter, vs,
                path);
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        List<WeightedCluster> weighted = new ArrayList<>();
        for (int j = 0; j < resolved.size(); j++) {
            weighted.add(new WeightedCluster(clusters.clusterFor(resolved.get(j)), weights.get()[j], resolved.get(j),
                    HeaderPolicy.NONE));
        }
        return Optional.of(weighted);
    }
}
