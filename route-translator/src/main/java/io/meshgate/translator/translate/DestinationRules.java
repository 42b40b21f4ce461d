package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.Subset;
import io.fabric8.istio.api.api.networking.v1alpha3.TrafficPolicyPortTrafficPolicy;
import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.ClientTls;
import io.meshgate.translator.ir.ConnectionPool;
import io.meshgate.translator.ir.LoadBalancer;
import io.meshgate.translator.ir.OutlierDetection;
import io.meshgate.translator.ir.RetryBudget;
import io.meshgate.translator.ir.RetryPolicy;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TrafficPolicy;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.SeedFields;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * DestinationRules by host, with their subsets and traffic policies converted once. The first DestinationRule for
 * a host (in namespace, name order) supplies the policy; later ones may only add subsets.
 */
final class DestinationRules {

    /** The four parts of a traffic policy; a more specific level replaces a part wholesale, as Istio merges. */
    record Parts(Optional<LoadBalancer> loadBalancer, Optional<ConnectionPool> connectionPool,
            Optional<OutlierDetection> outlierDetection, Optional<ClientTls> tls) {
        static final Parts NONE = new Parts(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

        Parts over(Parts base) {
            return new Parts(loadBalancer.or(base::loadBalancer), connectionPool.or(base::connectionPool),
                    outlierDetection.or(base::outlierDetection), tls.or(base::tls));
        }
    }

    /**
     * A policy with its port-level overrides. As Istio documents, port-level settings replace the whole policy for
     * their port: the parts they leave out get defaults, not the values of the level above.
     */
    record Level(Parts parts, Map<Integer, Parts> ports, Optional<RetryPolicy> retry,
            Optional<RetryBudget> retryBudget) {
        static final Level NONE = new Level(Parts.NONE, Map.of(), Optional.empty(), Optional.empty());

        Parts at(int port) {
            return ports.getOrDefault(port, parts);
        }
    }

    /** One subset. */
    record SubsetInfo(Map<String, String> labels, Level level) {
    }

    /** The merged view of the DestinationRules of one host. */
    record Rule(SourceRef source, Level level, Map<String, SubsetInfo> subsets) {
    }

    private final HostTable<Rule> byHost = new HostTable<>();
    private final Reporter reporter;
    private final ServiceRegistry registry;

    private DestinationRules(Reporter reporter, ServiceRegistry registry) {
        this.reporter = reporter;
        this.registry = registry;
    }

    static DestinationRules of(Iterable<Loaded<DestinationRule>> rules, ServiceRegistry registry,
            Reporter reporter) {
        DestinationRules index = new DestinationRules(reporter, registry);
        for (Loaded<DestinationRule> rule : rules) {
            index.add(rule);
        }
        return index;
    }

    Optional<Rule> find(String fqdn) {
        return byHost.find(fqdn);
    }

    /**
     * The policy for one port of a host and subset, merged as Istio's {@code MergeSubsetTrafficPolicy} does: the top
     * level (or its port level, wholesale), then each part the subset sets, or the subset's port level wholesale.
     */
    TrafficPolicy policyFor(Rule rule, Optional<String> subset, int port) {
        Parts parts = rule.level().at(port);
        Optional<Level> info = subset.map(rule.subsets()::get).map(SubsetInfo::level);
        if (info.isPresent()) {
            Level level = info.get();
            parts = level.ports().containsKey(port) ? level.ports().get(port) : level.parts().over(parts);
        }
        Optional<RetryBudget> budget = info.flatMap(Level::retryBudget).or(() -> rule.level().retryBudget());
        return new TrafficPolicy(parts.loadBalancer(), parts.connectionPool(), parts.outlierDetection(), parts.tls(),
                budget);
    }

    private void add(Loaded<DestinationRule> loaded) {
        var spec = loaded.resource().getSpec();
        if (spec == null || spec.getHost() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, loaded.ref(), "spec.host", "missing (expected: a host)");
            return;
        }
        String fqdn = registry.fqdn(spec.getHost(), loaded.ref().namespace());
        if (!fqdn.startsWith("*") && registry.find(fqdn).isEmpty()) {
            reporter.report(Code.HOST_NOT_FOUND, loaded.ref(), "spec.host", "\"" + spec.getHost()
                    + "\" matches no ServiceEntry or Service; the DestinationRule applies to no known service");
        }
        Rule existing = byHost.get(fqdn).orElse(null);
        Map<String, SubsetInfo> subsets = existing == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(existing.subsets());
        Level top = level(spec.getTrafficPolicy(), loaded, "spec.trafficPolicy");
        if (existing != null && spec.getTrafficPolicy() != null) {
            reporter.report(Code.INEFFECTIVE_FIELD, loaded.ref(), "spec.trafficPolicy", "ignored: "
                    + existing.source().display() + " is applied first for host " + fqdn);
        }
        for (int i = 0; i < spec.getSubsets().size(); i++) {
            addSubset(spec.getSubsets().get(i), loaded, "spec.subsets[" + i + "]", subsets);
        }
        byHost.put(fqdn, existing == null ? new Rule(loaded.ref(), top, subsets)
                : new Rule(existing.source(), existing.level(), subsets));
    }

    private void addSubset(Subset subset, Loaded<DestinationRule> loaded, String path,
            Map<String, SubsetInfo> subsets) {
        if (subset.getName() == null || subset.getName().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, loaded.ref(), path + ".name", "missing (expected: a name)");
            return;
        }
        if (subsets.containsKey(subset.getName())) {
            reporter.report(Code.DUPLICATE_SUBSET, loaded.ref(), path + ".name",
                    "subset \"" + subset.getName() + "\" is defined more than once; the first definition is used");
            return;
        }
        subsets.put(subset.getName(), new SubsetInfo(subset.getLabels(),
                level(subset.getTrafficPolicy(), loaded, path + ".trafficPolicy")));
    }

    private Level level(io.fabric8.istio.api.api.networking.v1alpha3.@Nullable TrafficPolicy policy,
            Loaded<DestinationRule> loaded, String path) {
        SeedFields seed = loaded.seedFields();
        Optional<RetryPolicy> retry = Optional.ofNullable(seed.retryPolicies().get(path))
                .map(r -> RetryConverter.convert(r, reporter, loaded.ref(), path + ".retryPolicy",
                        "DestinationRule.retryPolicy"));
        if (policy == null) {
            return new Level(Parts.NONE, Map.of(), retry, Optional.empty());
        }
        TrafficPolicyConverter convert = new TrafficPolicyConverter(reporter, loaded.ref());
        Optional<OutlierDetection> outlier = convert.outlierDetection(policy.getOutlierDetection(),
                path + ".outlierDetection", "outlierDetection");
        if (outlier.isEmpty() && seed.circuitBreakers().containsKey(path)) {
            outlier = convert.outlierDetection(seed.circuitBreakers().get(path), path + ".circuitBreaker",
                    "circuitBreaker");
        }
        Parts parts = new Parts(convert.loadBalancer(policy.getLoadBalancer(), path + ".loadBalancer"),
                convert.connectionPool(policy.getConnectionPool(), path + ".connectionPool"), outlier,
                convert.tls(policy.getTls(), path + ".tls"));
        Map<Integer, Parts> ports = new HashMap<>();
        for (int i = 0; i < policy.getPortLevelSettings().size(); i++) {
            TrafficPolicyPortTrafficPolicy portPolicy = policy.getPortLevelSettings().get(i);
            String portPath = path + ".portLevelSettings[" + i + "]";
            if (portPolicy.getPort() == null || portPolicy.getPort().getNumber() == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, loaded.ref(), portPath + ".port",
                        "missing (expected: port.number)");
                continue;
            }
            ports.put(portPolicy.getPort().getNumber().intValue(), new Parts(
                    convert.loadBalancer(portPolicy.getLoadBalancer(), portPath + ".loadBalancer"),
                    convert.connectionPool(portPolicy.getConnectionPool(), portPath + ".connectionPool"),
                    convert.outlierDetection(portPolicy.getOutlierDetection(), portPath + ".outlierDetection",
                            "outlierDetection"),
                    convert.tls(portPolicy.getTls(), portPath + ".tls")));
        }
        return new Level(parts, ports, retry, convert.retryBudget(policy.getRetryBudget(), path + ".retryBudget"));
    }
}
