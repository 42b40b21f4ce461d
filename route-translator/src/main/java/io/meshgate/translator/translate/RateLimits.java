package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPMatchRequest;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The rate limit rules in force on each route, in the order they are checked: an EnvoyFilter's
 * {@code local_ratelimit} filter on the listener, RateLimitPolicies on the Gateway the route is served through, then
 * RateLimitPolicies on its VirtualService (each policy's local rules before its global ones).
 *
 * <p>They are attached as virtual hosts are assembled, since what applies to a route depends on the server and host
 * it is served through: the routes a VirtualService compiles to stay as they are, shared by every host, and a route
 * with rules in force is a copy, made once per set of rules. Without RateLimitPolicies and EnvoyFilters this costs
 * nothing.
 */
final class RateLimits {

    static final RateLimits NONE = new RateLimits(List.of(), EnvoyFilterRateLimits.NONE, Map.of());

    private final Map<String, List<RateLimitPolicies.Targeted>> byGateway = new HashMap<>();
    private final Map<String, List<RateLimitPolicies.Targeted>> byVirtualService = new HashMap<>();
    private final EnvoyFilterRateLimits envoyFilters;
    private final Map<String, List<HTTPRoute>> rules;
    private final Map<Route, Map<List<RateLimit>, Route>> copies = new IdentityHashMap<>();

    private RateLimits(List<RateLimitPolicies.Targeted> policies, EnvoyFilterRateLimits envoyFilters,
            Map<String, List<HTTPRoute>> rules) {
        this.envoyFilters = envoyFilters;
        this.rules = rules;
        for (RateLimitPolicies.Targeted policy : policies) {
            var byTarget = policy.kind().equals(RateLimitPolicies.GATEWAY) ? byGateway : byVirtualService;
            byTarget.computeIfAbsent(policy.target(), t -> new ArrayList<>()).add(policy);
        }
    }

    static RateLimits of(ResourceSet in, TranslatorOptions options, Reporter reporter) {
        if (in.rateLimitPolicies().isEmpty() && in.envoyFilters().isEmpty()) {
            return NONE;
        }
        List<RateLimitPolicies.Targeted> policies = RateLimitPolicies.of(in, options.gatewayLabels(), reporter);
        EnvoyFilterRateLimits envoyFilters = EnvoyFilterRateLimits.of(in.envoyFilters(), options, reporter);
        Map<String, List<HTTPRoute>> rules = new HashMap<>();
        for (Loaded<VirtualService> vs : in.virtualServices()) {
            if (vs.resource().getSpec() != null) {
                rules.put(key(vs.ref()), vs.resource().getSpec().getHttp());
            }
        }
        return new RateLimits(policies, envoyFilters, rules);
    }

    /** The routes of VirtualService {@code vs} as served through {@code server} for {@code domain}. */
    List<Route> atGateway(Server server, String domain, SourceRef vs, List<Route> routes) {
        List<RateLimitPolicies.Targeted> onGateway = byGateway.getOrDefault(server.gateway(), List.of());
        List<RateLimitPolicies.Targeted> onVirtualService = byVirtualService.getOrDefault(key(vs), List.of());
        boolean filters = !envoyFilters.isEmpty();
        if (onGateway.isEmpty() && onVirtualService.isEmpty() && !filters) {
            return routes;
        }
        String host = domain + ":" + server.port();
        List<Route> out = new ArrayList<>(routes.size());
        for (Route route : routes) {
            List<RateLimit> limits = new ArrayList<>();
            if (filters) {
                limits.addAll(envoyFilters.limits(server, host, domain, route, istioName(vs, route)));
            }
            for (RateLimitPolicies.Targeted policy : onGateway) {
                if (policy.section().map(s -> server.name().equals(server.gateway() + "/" + s)).orElse(true)) {
                    limits.addAll(policy.limits());
                }
            }
            out.add(with(route, addOwn(onVirtualService, vs, route, limits)));
        }
        return out;
    }

    /** The routes of VirtualService {@code vs} in the mesh, where only its own policies apply. */
    List<Route> inMesh(SourceRef vs, List<Route> routes) {
        List<RateLimitPolicies.Targeted> onVirtualService = byVirtualService.getOrDefault(key(vs), List.of());
        if (onVirtualService.isEmpty()) {
            return routes;
        }
        return routes.stream().map(r -> with(r, addOwn(onVirtualService, vs, r, new ArrayList<>()))).toList();
    }

    private List<RateLimit> addOwn(List<RateLimitPolicies.Targeted> policies, SourceRef vs, Route route,
            List<RateLimit> limits) {
        for (RateLimitPolicies.Targeted policy : policies) {
            if (policy.section().map(s -> s.equals(ruleName(vs, route))).orElse(true)) {
                limits.addAll(policy.limits());
            }
        }
        return limits;
    }

    private Route with(Route route, List<RateLimit> limits) {
        if (limits.isEmpty()) {
            return route;
        }
        return copies.computeIfAbsent(route, r -> new HashMap<>()).computeIfAbsent(List.copyOf(limits), l -> new Route(
                route.name(), route.origin(), route.match(), route.action(), route.policies().withRateLimits(l)));
    }

    /** The {@code name} of the http rule a route comes from ({@code spec.http[i]}), or empty. */
    private String ruleName(SourceRef vs, Route route) {
        HTTPRoute rule = rule(vs, route);
        return rule == null || rule.getName() == null ? "" : rule.getName();
    }

    /** The name Istio gives the Envoy route: the rule's name, and the match block's after a dot when it has one. */
    private String istioName(SourceRef vs, Route route) {
        HTTPRoute rule = rule(vs, route);
        if (rule == null) {
            return "";
        }
        String name = rule.getName() == null ? "" : rule.getName();
        int block = Integer.parseInt(route.name().substring(route.name().lastIndexOf('/') + 1));
        List<HTTPMatchRequest> matches = rule.getMatch();
        String blockName = block < matches.size() ? matches.get(block).getName() : null;
        return blockName == null || blockName.isEmpty() ? name : name + "." + blockName;
    }

    private @Nullable HTTPRoute rule(SourceRef vs, Route route) {
        List<HTTPRoute> http = rules.get(key(vs));
        String path = route.origin().fieldPath();
        if (http == null || !path.startsWith("spec.http[")) {
            return null;
        }
        int index = Integer.parseInt(path.substring("spec.http[".length(), path.length() - 1));
        return index < http.size() ? http.get(index) : null;
    }

    private static String key(SourceRef ref) {
        return ref.namespace() + "/" + ref.name();
    }
}
