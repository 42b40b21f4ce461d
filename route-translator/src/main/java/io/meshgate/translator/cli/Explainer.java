package io.meshgate.translator.cli;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.dump.SnapshotYaml;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RouteMatcher;
import io.meshgate.translator.match.PathNormalization;
import io.meshgate.translator.match.SimpleRequest;
import io.meshgate.translator.translate.TranslationResult;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Explains which listener, server, rule and destinations serve one request, or precisely why none does. */
final class Explainer {

    private final TranslationResult result;
    private final PrintStream out;
    private final Map<String, Cluster> clusters;

    Explainer(TranslationResult result, PrintStream out) {
        this.result = result;
        this.out = out;
        this.clusters = result.snapshot().clusters().stream()
                .collect(Collectors.toMap(Cluster::name, Function.identity()));
    }

    int explain(SimpleRequest request, boolean mesh) {
        out.println("Request:      " + request.method() + " " + request.scheme() + "://" + request.authority()
                + request.path() + (request.query().isEmpty() ? "" : "?" + request.query())
                + (mesh ? " (mesh)" : " (gateway port " + request.port() + ")"));
        // routed as the gateway routes it: on the path normalized as Istio's default (BASE) says
        String path = PathNormalization.BASE.normalize(request.path());
        if (path == null) {
            out.println("No route:     the path cannot be normalized (a NUL or %00), answered 400");
            return Main.CONFIG_ERRORS;
        }
        if (!path.equals(request.path())) {
            out.println("Normalized:   " + path + " (pathNormalization BASE)");
            request = new SimpleRequest(request.port(), request.authority(), request.method(), request.scheme(), path,
                    request.query(), request.headers());
        }
        RouteMatcher matcher = RouteMatcher.of(result.snapshot());
        MatchResult match = mesh ? matcher.matchMesh(request) : matcher.match(request);
        if (match instanceof MatchResult.Matched matched) {
            describe(matched);
            return Main.OK;
        }
        MatchResult.NotMatched miss = (MatchResult.NotMatched) match;
        out.println("No route:     " + miss.reason() + ", answered " + miss.reason().status()
                + " (response flag NR): " + miss.detail());
        if (!mesh) {
            describeListenerHosts(request.port());
        }
        related(request);
        return Main.CONFIG_ERRORS;
    }

    private void describe(MatchResult.Matched matched) {
        Listener listener = matched.listener();
        VirtualHost host = matched.virtualHost();
        Route route = matched.route();
        if (listener != null) {
            out.println("Listener:     " + listener.name() + " (" + listener.protocol() + ")");
            listener.servers().stream().filter(s -> s.name().equals(host.server())).findFirst()
                    .ifPresent(this::describeServer);
        }
        out.println("Virtual host: " + host.name() + " " + host.domains());
        out.println("Rule:         " + route.origin().display() + " " + route.origin().fieldPath());
        out.println("Route:        " + route.name());
        out.println("Match:        " + (route.match().matchesEverything() ? "every request"
                : SnapshotYaml.inline(route.match())));
        describeAction(route.action());
        var policies = route.policies();
        policies.fault().ifPresent(f -> out.println("Fault:        " + SnapshotYaml.inline(f)));
        policies.timeout().ifPresent(t -> out.println("Timeout:      " + SnapshotYaml.inline(t)));
        policies.retry().ifPresent(r -> out.println("Retries:      " + SnapshotYaml.inline(r)));
        policies.mirrors().forEach(m -> out.println("Mirror:       " + m.percentage() + "% to " + m.cluster()));
        policies.cors().ifPresent(c -> out.println("CORS:         " + SnapshotYaml.inline(c)));
        if (!policies.headers().isEmpty()) {
            out.println("Headers:      " + SnapshotYaml.inline(policies.headers()));
        }
        policies.rateLimits().forEach(limit -> out.println("Rate limit:   " + describe(limit)));
    }

    private static String describe(RateLimit limit) {
        RateLimit.Limit bucket = limit.limit();
        return limit.id() + " (" + (limit.global() ? "global" : "local") + (limit.shadow() ? ", shadow" : "")
                + "): " + bucket.requests() + " per " + SnapshotYaml.inline(bucket.unit()) + ", bucket of "
                + bucket.capacity() + (limit.selectors().isEmpty() ? ", every request" : ", "
                        + limit.selectors().stream().map(Explainer::describe).collect(Collectors.joining(" and ")));
    }

    private static String describe(RateLimitSelector selector) {
        String values = String.join(", ", selector.values());
        String subject = switch (selector.attribute()) {
            case HEADER -> "header " + selector.name();
            case SOURCE_CIDR -> "client address";
            case PATH -> "path";
            case METHOD -> "method";
        };
        return switch (selector.type()) {
            case DISTINCT -> "per " + subject + (values.isEmpty() ? "" : " in " + values);
            case PREFIX -> subject + " starts with " + values;
            case REGULAR_EXPRESSION -> subject + (selector.invert() ? " does not match " : " matches ") + values;
            case EXACT -> subject + (selector.invert() ? " is not " : " is ")
                    + (selector.values().size() > 1 ? "one of [" + values + "]"
                            : selector.attribute() == RateLimitSelector.Attribute.SOURCE_CIDR ? "in " + values
                            : values);
        };
    }

    private void describeServer(Server server) {
        out.println("Server:       " + server.name() + " hosts " + server.hosts() + " (" + server.source().display()
                + " " + server.source().fieldPath() + ")");
    }

    private void describeAction(RouteAction action) {
        if (action instanceof RouteAction.Forward forward) {
            int total = forward.clusters().stream().mapToInt(WeightedCluster::weight).sum();
            out.println("Action:       forward" + forward.rewrite().map(r -> ", rewrite " + SnapshotYaml.inline(r))
                    .orElse(""));
            for (WeightedCluster weighted : forward.clusters()) {
                double share = total == 0 ? 0 : 100.0 * weighted.weight() / total;
                out.println(String.format(Locale.ROOT, "  %5.1f%%  %s", share, weighted.cluster()));
                Cluster cluster = clusters.get(weighted.cluster());
                if (cluster != null) {
                    out.println("          service " + cluster.service() + " (" + cluster.discovery() + ", "
                            + cluster.resolution() + "), " + cluster.endpoints().size() + " endpoint(s)"
                            + cluster.destinationRule().map(d -> ", policy from " + d.display()).orElse(""));
                    if (!cluster.policy().equals(io.meshgate.translator.ir.TrafficPolicy.NONE)) {
                        out.println("          policy " + SnapshotYaml.inline(cluster.policy()));
                    }
                }
            }
        } else {
            out.println("Action:       " + SnapshotYaml.inline(action));
        }
    }

    private void describeListenerHosts(int port) {
        result.snapshot().listeners().stream().filter(l -> l.port() == port).findFirst().ifPresentOrElse(
                l -> {
                    out.println("Port " + port + " serves: " + l.virtualHosts().stream()
                            .map(v -> v.domains().get(0)).toList());
                    l.tlsRoutes().forEach(r -> out.println("TLS passthrough: " + r.sniHosts() + " -> " + r.clusters()
                            .stream().map(c -> c.cluster() + " " + c.weight() + "%").toList() + " (" + r.name()
                            + ")"));
                },
                () -> out.println("Listeners:    " + result.snapshot().listeners().stream().map(Listener::port)
                        .toList()));
    }

    private void related(SimpleRequest request) {
        String authority = request.authority() == null ? "" : request.authority().toLowerCase(Locale.ROOT);
        String host = authority.contains(":") && !authority.startsWith("[")
                ? authority.substring(0, authority.indexOf(':')) : authority;
        for (Diagnostic diagnostic : result.diagnostics()) {
            if (!host.isEmpty() && diagnostic.message().contains("\"" + host + "\"")) {
                out.println("Related:      " + diagnostic.format());
            }
        }
    }
}
