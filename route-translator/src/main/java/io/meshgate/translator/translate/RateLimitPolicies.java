package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.api.policy.v1alpha1.PolicyTargetReference;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicy;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicySpec;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitRule;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitRules;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitValue;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * RateLimitPolicies checked and converted to IR rules, with what each targets. A rule with an invalid value is left
 * out (the policy's other rules apply); a policy whose target does not exist applies nowhere.
 */
final class RateLimitPolicies {

    static final String VIRTUAL_SERVICE = "VirtualService";
    static final String GATEWAY = "Gateway";
    private static final String TARGET_GROUP = "networking.istio.io";

    /**
     * The rules of one policy, in order (local, then global), and what they apply to.
     *
     * @param kind {@link #VIRTUAL_SERVICE} or {@link #GATEWAY}
     * @param target {@code <ns>/<name>} of the target
     * @param section the http rule name (VirtualService) or server port name (Gateway) it is narrowed to
     */
    record Targeted(String kind, String target, Optional<String> section, List<RateLimit> limits) {
    }

    private final Reporter reporter;
    private final Map<String, String> gatewayLabels;
    private final Map<String, List<String>> ruleNames = new HashMap<>();
    private final Map<String, List<String>> portNames = new HashMap<>();

    private RateLimitPolicies(Reporter reporter, Map<String, String> gatewayLabels) {
        this.reporter = reporter;
        this.gatewayLabels = gatewayLabels;
    }

    static List<Targeted> of(ResourceSet in, Map<String, String> gatewayLabels, Reporter reporter) {
        if (in.rateLimitPolicies().isEmpty()) {
            return List.of();
        }
        RateLimitPolicies policies = new RateLimitPolicies(reporter, gatewayLabels);
        for (Loaded<VirtualService> vs : in.virtualServices()) {
            var spec = vs.resource().getSpec();
            policies.ruleNames.put(key(vs.ref()), spec == null ? List.of()
                    : spec.getHttp().stream().map(HTTPRoute::getName).filter(Objects::nonNull).toList());
        }
        for (Loaded<Gateway> gateway : in.gateways()) {
            var spec = gateway.resource().getSpec();
            policies.portNames.put(key(gateway.ref()), spec == null ? List.of() : spec.getServers().stream()
                    .map(s -> s.getPort() == null ? null : s.getPort().getName()).filter(Objects::nonNull).toList());
        }
        List<Targeted> out = new ArrayList<>();
        for (Loaded<RateLimitPolicy> policy : in.rateLimitPolicies()) {
            policies.convert(policy).ifPresent(out::add);
        }
        return out;
    }

    private Optional<Targeted> convert(Loaded<RateLimitPolicy> loaded) {
        SourceRef ref = loaded.ref();
        RateLimitPolicySpec spec = loaded.resource().getSpec();
        if (spec == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, "spec", "missing (expected: targetRef and local or "
                    + "global rules)");
            return Optional.empty();
        }
        boolean shadow = Boolean.TRUE.equals(spec.getShadowMode());
        RuleContext context = new RuleContext(ref, shadow, new RateLimitSelectors(reporter, ref,
                new MatchConverter(reporter, ref, gatewayLabels)));
        List<RateLimit> limits = new ArrayList<>();
        rules(context, spec.getLocal(), false, limits);
        rules(context, spec.getGlobal(), true, limits);
        if (count(spec.getLocal()) + count(spec.getGlobal()) == 0) {
            reporter.report(Code.INEFFECTIVE_FIELD, ref, "spec", "no local or global rules: the policy limits "
                    + "nothing (expected: local.rules or global.rules)");
        }
        return target(ref, spec.getTargetRef()).map(t -> new Targeted(t.kind(), t.target(), t.section(), limits));
    }

    /** What the rules of one policy are converted with. */
    private record RuleContext(SourceRef policy, boolean shadow, RateLimitSelectors selectors) {
    }

    private void rules(RuleContext context, @Nullable RateLimitRules rules, boolean global, List<RateLimit> out) {
        if (rules == null) {
            return;
        }
        SourceRef ref = context.policy();
        String scope = global ? "global" : "local";
        for (int i = 0; i < rules.getRules().size(); i++) {
            RateLimitRule rule = rules.getRules().get(i);
            String path = "spec." + scope + ".rules[" + i + "]";
            if (rule == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, path, "null (expected: a rule)");
                continue;
            }
            Optional<RateLimit.Limit> limit = limit(ref, rule, path);
            Optional<List<RateLimitSelector>> selectors = context.selectors().convert(rule.getClientSelectors(),
                    path + ".clientSelectors");
            if (limit.isPresent() && selectors.isPresent()) {
                out.add(new RateLimit("ratelimitpolicy/" + key(ref) + "/" + scope + "/" + i, key(ref),
                        ref.at(path), global, selectors.get(), limit.get(), context.shadow()));
            }
        }
    }

    /**
     * The bucket of a rule: {@code requests} tokens per {@code unit}, refilled continuously, holding up to
     * {@code requests + burst}.
     */
    private Optional<RateLimit.Limit> limit(SourceRef ref, RateLimitRule rule, String path) {
        RateLimitValue value = rule.getLimit();
        long burst = rule.getBurst() == null ? 0 : rule.getBurst();
        boolean valid = true;
        if (burst < 0) {
            valid = invalid(ref, path + ".burst", burst + " (expected: 0 or more)");
        }
        if (value == null) {
            invalid(ref, path + ".limit", "missing (expected: requests and unit)");
            return Optional.empty();
        }
        Long requests = value.getRequests();
        if (requests == null) {
            valid = invalid(ref, path + ".limit.requests", "missing (expected: a number of requests, at least 1)");
        } else if (requests < 1) {
            valid = invalid(ref, path + ".limit.requests", requests + " (expected: at least 1)");
        } else if (burst > Long.MAX_VALUE - requests) {
            valid = invalid(ref, path + ".burst", burst + " (expected: requests + burst within a 64-bit count)");
        }
        Optional<Duration> unit = unit(value.getUnit());
        if (unit.isEmpty()) {
            valid = invalid(ref, path + ".limit.unit", (value.getUnit() == null ? "missing" : "\"" + value.getUnit()
                    + "\"") + " (expected: Second, Minute, Hour or Day)");
        }
        if (!valid || requests == null) {
            return Optional.empty();
        }
        return Optional.of(new RateLimit.Limit(requests + burst, requests, unit.get(), true, requests, unit.get()));
    }

    private static Optional<Duration> unit(@Nullable String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        return switch (unit) {
            case "Second" -> Optional.of(Duration.ofSeconds(1));
            case "Minute" -> Optional.of(Duration.ofMinutes(1));
            case "Hour" -> Optional.of(Duration.ofHours(1));
            case "Day" -> Optional.of(Duration.ofDays(1));
            default -> Optional.empty();
        };
    }

    /** The resource a policy targets, when it names one that exists (else reported). */
    private Optional<Targeted> target(SourceRef ref, @Nullable PolicyTargetReference target) {
        if (target == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, "spec.targetRef", "missing (expected: the kind and "
                    + "name of a VirtualService or Gateway)");
            return Optional.empty();
        }
        boolean valid = true;
        if (target.getGroup() != null && !target.getGroup().isEmpty() && !target.getGroup().equals(TARGET_GROUP)) {
            valid = invalid(ref, "spec.targetRef.group", "\"" + target.getGroup() + "\" (expected: " + TARGET_GROUP
                    + ")");
        }
        String kind = target.getKind();
        if (!VIRTUAL_SERVICE.equals(kind) && !GATEWAY.equals(kind)) {
            valid = invalid(ref, "spec.targetRef.kind", (kind == null ? "missing" : "\"" + kind + "\"")
                    + " (expected: VirtualService or Gateway)");
        }
        if (target.getName() == null || target.getName().isEmpty()) {
            valid = invalid(ref, "spec.targetRef.name", "missing (expected: the name of a resource in namespace \""
                    + ref.namespace() + "\")");
        }
        if (!valid) {
            return Optional.empty();
        }
        String key = ref.namespace() + "/" + target.getName();
        Map<String, List<String>> sections = kind.equals(VIRTUAL_SERVICE) ? ruleNames : portNames;
        if (!sections.containsKey(key)) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, ref, "spec.targetRef.name", "Referenced " + kind
                    + " not found: \"" + key + "\"");
            return Optional.empty();
        }
        Optional<String> section = Optional.ofNullable(target.getSectionName()).filter(s -> !s.isEmpty());
        if (section.isPresent() && !sections.get(key).contains(section.get())) {
            reporter.report(Code.REFERENCED_RESOURCE_NOT_FOUND, ref, "spec.targetRef.sectionName", "Referenced "
                    + (kind.equals(VIRTUAL_SERVICE) ? "http rule" : "server port") + " not found: \"" + section.get()
                    + "\" in " + kind + " " + key + " (expected: one of " + sections.get(key) + ")");
            return Optional.empty();
        }
        return Optional.of(new Targeted(kind, key, section, List.of()));
    }

    private boolean invalid(SourceRef ref, String path, String message) {
        reporter.report(Code.SCHEMA_VALIDATION_ERROR, ref, path, message);
        return false;
    }

    private static int count(@Nullable RateLimitRules rules) {
        return rules == null ? 0 : rules.getRules().size();
    }

    private static String key(SourceRef ref) {
        return ref.namespace() + "/" + ref.name();
    }
}
