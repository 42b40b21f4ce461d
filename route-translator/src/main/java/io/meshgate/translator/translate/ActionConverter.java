package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPBodyBytes;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPBodyString;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPDirectResponse;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirect;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectDerivePort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRedirectPort;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRewrite;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRoute;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRouteDestination;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.Rewrite;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.WeightedCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Converts the action of an http rule: exactly one of route, redirect or directResponse. An action that cannot work
 * is reported and comes back empty, and the rule answers 500 instead.
 */
final class ActionConverter {

    private final Reporter reporter;
    private final SourceRef source;
    private final Destinations destinations;
    private final ClusterCollector clusters;
    private final MatchConverter regexChecker;

    ActionConverter(Reporter reporter, SourceRef source, Destinations destinations, ClusterCollector clusters,
            MatchConverter regexChecker) {
        this.reporter = reporter;
        this.source = source;
        this.destinations = destinations;
        this.clusters = clusters;
        this.regexChecker = regexChecker;
    }

    Optional<RouteAction> convert(HTTPRoute rule, String path) {
        if (rule.getDelegate() != null) {
            reporter.report(Code.UNSUPPORTED_FIELD, source, path + ".delegate",
                    "delegate is not supported by this gateway version; the rule answers 500");
            return Optional.empty();
        }
        int actions = (rule.getRoute().isEmpty() ? 0 : 1) + (rule.getRedirect() == null ? 0 : 1)
                + (rule.getDirectResponse() == null ? 0 : 1);
        if (actions != 1) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path, (actions == 0 ? "no action" : "several actions")
                    + " (expected: exactly one of route, redirect, directResponse)");
            return Optional.empty();
        }
        if (rule.getRewrite() != null && rule.getRoute().isEmpty()) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".rewrite",
                    "rewrite goes with route only (expected: no rewrite with redirect or directResponse)");
            return Optional.empty();
        }
        if (rule.getRedirect() != null) {
            return redirect(rule.getRedirect(), path + ".redirect");
        }
        if (rule.getDirectResponse() != null) {
            return directResponse(rule.getDirectResponse(), path + ".directResponse");
        }
        return forward(rule, path);
    }

    private Optional<RouteAction> forward(HTTPRoute rule, String path) {
        List<HTTPRouteDestination> routes = rule.getRoute();
        List<DestinationRef> resolved = new ArrayList<>();
        for (int j = 0; j < routes.size(); j++) {
            HTTPRouteDestination route = routes.get(j);
            if (route.getDestination() == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".route[" + j + "].destination",
                        "missing (expected: a destination)");
                return Optional.empty();
            }
            Optional<DestinationRef> ref = destinations.resolve(route.getDestination(), source,
                    path + ".route[" + j + "].destination");
            if (ref.isEmpty()) {
                return Optional.empty();
            }
            resolved.add(ref.get());
        }
        Optional<int[]> weights = Weights.of(routes.stream().map(HTTPRouteDestination::getWeight).toList(), reporter,
                source, path + ".route");
        if (weights.isEmpty()) {
            return Optional.empty();
        }
        List<WeightedCluster> weighted = new ArrayList<>();
        for (int j = 0; j < routes.size(); j++) {
            weighted.add(new WeightedCluster(clusters.clusterFor(resolved.get(j)), weights.get()[j], resolved.get(j),
                    RoutePolicyConverter.headers(routes.get(j).getHeaders())));
        }
        Optional<Optional<Rewrite>> rewrite = rewrite(rule.getRewrite(), path + ".rewrite");
        return rewrite.map(r -> new RouteAction.Forward(weighted, r));
    }

    /** Empty when invalid (reported); an empty inner optional when there is no rewrite. */
    private Optional<Optional<Rewrite>> rewrite(@Nullable HTTPRewrite rewrite, String path) {
        if (rewrite == null) {
            return Optional.of(Optional.empty());
        }
        if (rewrite.getUri() != null && rewrite.getUriRegexRewrite() != null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path,
                    "uri and uriRegexRewrite are both set (expected: one of them)");
            return Optional.empty();
        }
        Optional<Rewrite.RegexRewrite> regex = Optional.empty();
        var regexRewrite = rewrite.getUriRegexRewrite();
        if (regexRewrite != null) {
            if (regexRewrite.getMatch() == null || regexRewrite.getRewrite() == null) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".uriRegexRewrite",
                        "incomplete (expected: match and rewrite)");
                return Optional.empty();
            }
            if (regexChecker.regex(regexRewrite.getMatch(), path + ".uriRegexRewrite.match").isEmpty()) {
                return Optional.empty();
            }
            regex = Optional.of(new Rewrite.RegexRewrite(regexRewrite.getMatch(), regexRewrite.getRewrite()));
        }
        return Optional.of(Optional.of(new Rewrite(Optional.ofNullable(rewrite.getUri()),
                Optional.ofNullable(rewrite.getAuthority()), regex)));
    }

    private Optional<RouteAction> redirect(HTTPRedirect redirect, String path) {
        int code = redirect.getRedirectCode() == null || redirect.getRedirectCode() == 0 ? 301
                : redirect.getRedirectCode().intValue();
        if (code < 300 || code > 399) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".redirectCode", code
                    + " (expected: 300 to 399)");
            return Optional.empty();
        }
        Optional<Integer> port = Optional.empty();
        Optional<String> derive = Optional.empty();
        if (redirect.getRedirectPort() instanceof HTTPRedirectPort p && p.getPort() != null) {
            port = Optional.of(p.getPort().intValue());
        } else if (redirect.getRedirectPort() instanceof HTTPRedirectDerivePort d && d.getDerivePort() != null) {
            derive = Optional.of(d.getDerivePort().name());
        }
        return Optional.of(new RouteAction.Redirect(Optional.ofNullable(redirect.getUri()),
                Optional.ofNullable(redirect.getAuthority()), Optional.ofNullable(redirect.getScheme()), port, derive,
                code));
    }

    private Optional<RouteAction> directResponse(HTTPDirectResponse response, String path) {
        long status = response.getStatus() == null ? 0 : response.getStatus();
        if (status < 200 || status > 599) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".status", status + " (expected: 200 to 599)");
            return Optional.empty();
        }
        Optional<String> body = Optional.empty();
        if (response.getBody() != null) {
            if (response.getBody().getSpecifier() instanceof HTTPBodyString s) {
                body = Optional.ofNullable(s.getString());
            } else if (response.getBody().getSpecifier() instanceof HTTPBodyBytes b && b.getBytes() != null) {
                try {
                    body = Optional.of(new String(Base64.getDecoder().decode(b.getBytes()), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".body.bytes",
                            "not base64 (expected: base64-encoded bytes)");
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new RouteAction.DirectResponse((int) status, body));
    }
}
