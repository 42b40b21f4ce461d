package io.meshgate.translator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterApplyTo;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterEnvoyConfigObjectPatch;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterPatchContext;
import io.fabric8.istio.api.api.networking.v1alpha3.EnvoyFilterPatchOperation;
import io.fabric8.istio.api.networking.v1alpha3.EnvoyFilter;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Level;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.Loaded;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Istio's own local rate limit: EnvoyFilters that insert Envoy's {@code envoy.filters.http.local_ratelimit} HTTP
 * filter at this gateway (applyTo HTTP_FILTER), and its per-route configs (applyTo HTTP_ROUTE, MERGE of
 * {@code typed_per_filter_config}). Every other patch is reported as not supported and ignored.
 *
 * <p>An EnvoyFilter applies to this gateway when its {@code workloadSelector.labels} are a subset of the gateway's
 * labels (as a Gateway's {@code selector}) and it lives in the root namespace {@code istio-system} or in the gateway's
 * namespace; one without a selector applies to every proxy of its namespace, so it applies here only from those
 * namespaces. In files, where the gateway has no namespace of its own, one with a selector applies from any
 * namespace and one without only from {@code istio-system}. EnvoyFilters for other workloads, and patches for the
 * sidecar contexts, are for other proxies and pass without a word.
 */
final class EnvoyFilterRateLimits {

    static final String ROOT_NAMESPACE = "istio-system";
    private static final String FILTER_NAME = "envoy.filters.http.local_ratelimit";
    private static final Set<EnvoyFilterPatchOperation> INSERTS = Set.of(EnvoyFilterPatchOperation.INSERT_BEFORE,
            EnvoyFilterPatchOperation.INSERT_AFTER, EnvoyFilterPatchOperation.INSERT_FIRST,
            EnvoyFilterPatchOperation.ADD);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** No EnvoyFilters: nothing applies. */
    static final EnvoyFilterRateLimits NONE = new EnvoyFilterRateLimits(new Reporter());

    /** A local_ratelimit filter inserted on some listeners, with its bucket if it has one. */
    private record Inserted(EnvoyFilterMatches.Listener where, Optional<RateLimit> limit) {
    }

    /** A per-route config of the filter; without a bucket it turns the filter's bucket off for those routes. */
    private record PerRoute(EnvoyFilterMatches.Routes where, Optional<RateLimit> limit, SourceRef origin) {
    }

    private final List<Inserted> inserted = new ArrayList<>();
    private final List<PerRoute> perRoute = new ArrayList<>();
    private final Reporter reporter;

    private EnvoyFilterRateLimits(Reporter reporter) {
        this.reporter = reporter;
    }

    static EnvoyFilterRateLimits of(List<Loaded<EnvoyFilter>> filters, TranslatorOptions options,
            Reporter reporter) {
        EnvoyFilterRateLimits limits = new EnvoyFilterRateLimits(reporter);
        for (Loaded<EnvoyFilter> filter : filters) {
            if (filter.resource().getSpec() != null && limits.selects(filter, options)) {
                var patches = filter.resource().getSpec().getConfigPatches();
                for (int i = 0; i < patches.size(); i++) {
                    limits.patch(filter.ref(), patches.get(i), i);
                }
            }
        }
        if (limits.inserted.isEmpty()) {
            for (PerRoute route : limits.perRoute) {
                reporter.report(Code.INEFFECTIVE_FIELD, route.origin().at(""), route.origin().fieldPath(),
                        "per-route config of " + FILTER_NAME + " has no effect: no EnvoyFilter applied to this "
                                + "gateway inserts that HTTP filter (expected: an HTTP_FILTER patch that does)");
            }
            limits.perRoute.clear();
        }
        return limits;
    }

    boolean isEmpty() {
        return inserted.isEmpty();
    }

    /**
     * The EnvoyFilter rules in force on a route served through {@code server} in the virtual host {@code host}: a
     * per-route config that selects it replaces the filter-wide bucket, as in Envoy, and counts in a bucket of its
     * own per route ({@code envoyfilter/<ns>/<name>/<i>/<route name>}); without the filter on the listener, per-route
     * configs do nothing.
     */
    List<RateLimit> limits(Server server, String host, String domain, Route route, String istioName) {
        List<RateLimit> listenerWide = new ArrayList<>();
        boolean filtered = false;
        for (Inserted filter : inserted) {
            if (filter.where().matches(server)) {
                filtered = true;
                filter.limit().ifPresent(listenerWide::add);
            }
        }
        if (!filtered) {
            return List.of();
        }
        for (int i = perRoute.size() - 1; i >= 0; i--) {
            PerRoute config = perRoute.get(i);
            if (config.where().matches(server, host, domain, route, istioName)) {
                return config.limit().map(l -> List.of(new RateLimit(l.id() + "/" + route.name(), l.policy(),
                        l.origin(), l.global(), l.selectors(), l.limit(), l.shadow()))).orElse(List.of());
            }
        }
        return listenerWide;
    }

    private boolean selects(Loaded<EnvoyFilter> filter, TranslatorOptions options) {
        var spec = filter.resource().getSpec();
        if (!spec.getTargetRefs().isEmpty()) {
            reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, filter.ref(), "spec.targetRefs", "targetRefs "
                    + "select Kubernetes Gateway API gateways, which this gateway is not; not applied");
            return false;
        }
        Map<String, String> labels = spec.getWorkloadSelector() == null ? Map.of()
                : spec.getWorkloadSelector().getLabels();
        if (!options.gatewayLabels().entrySet().containsAll(labels.entrySet())) {
            return false;
        }
        String namespace = filter.ref().namespace();
        return namespace.equals(ROOT_NAMESPACE)
                || options.gatewayNamespace().map(namespace::equals).orElse(!labels.isEmpty());
    }

    private void patch(SourceRef filter, EnvoyFilterEnvoyConfigObjectPatch patch, int index) {
        String path = "spec.configPatches[" + index + "]";
        var match = patch.getMatch();
        EnvoyFilterPatchContext context = match == null || match.getContext() == null ? EnvoyFilterPatchContext.ANY
                : match.getContext();
        if (context == EnvoyFilterPatchContext.SIDECAR_INBOUND || context == EnvoyFilterPatchContext.SIDECAR_OUTBOUND) {
            return;
        }
        if (patch.getApplyTo() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, filter, path + ".applyTo", "missing (expected: what the "
                    + "patch applies to, such as HTTP_FILTER)");
            return;
        }
        EnvoyFilterApplyTo applyTo = patch.getApplyTo();
        if (applyTo != EnvoyFilterApplyTo.HTTP_FILTER && applyTo != EnvoyFilterApplyTo.HTTP_ROUTE) {
            unsupported(filter, path + ".applyTo", "applyTo " + applyTo + " is not supported by this "
                    + "gateway version (it applies the " + FILTER_NAME + " HTTP filter and its per-route config "
                    + "only); patch ignored");
            return;
        }
        if (match != null && match.getProxy() != null) {
            unsupported(filter, path + ".match.proxy", "proxy matches are not supported by this gateway version; "
                    + "patch ignored");
            return;
        }
        if (patch.getPatch() == null || patch.getPatch().getValue() == null
                || patch.getPatch().getOperation() == null) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, filter, path + ".patch", "missing (expected: operation "
                    + "and value)");
            return;
        }
        EnvoyFilterMatches matches = new EnvoyFilterMatches(reporter, filter);
        String id = "envoyfilter/" + filter.namespace() + "/" + filter.name() + "/" + index;
        Context at = new Context(filter, path, id, JSON.valueToTree(patch.getPatch().getValue()));
        if (patch.getApplyTo() == EnvoyFilterApplyTo.HTTP_FILTER) {
            matches.listener(match, path + ".match").ifPresent(where -> filterPatch(at, patch, where));
        } else {
            matches.routes(match, path + ".match").ifPresent(where -> routePatch(at, patch, where));
        }
    }

    /** One patch being read: its EnvoyFilter, path, rule id and value. */
    private record Context(SourceRef filter, String path, String id, JsonNode value) {
        String valuePath() {
            return path + ".patch.value";
        }

        RateLimit limit(LocalRateLimitConfig.Outcome outcome, RateLimit.Limit limit) {
            return new RateLimit(id, filter.namespace() + "/" + filter.name(), filter.at(path), false, List.of(),
                    limit, outcome.shadow());
        }
    }

    private void filterPatch(Context at, EnvoyFilterEnvoyConfigObjectPatch patch,
            EnvoyFilterMatches.Listener where) {
        EnvoyFilterPatchOperation operation = patch.getPatch().getOperation();
        if (!INSERTS.contains(operation)) {
            unsupported(at.filter(), at.path() + ".patch.operation", "operation " + operation + " on an HTTP filter "
                    + "is not supported by this gateway version (expected: INSERT_BEFORE, INSERT_AFTER, INSERT_FIRST "
                    + "or ADD); patch ignored");
            return;
        }
        JsonNode typedConfig = LocalRateLimitConfig.field(at.value(), "typed_config").map(Map.Entry::getValue)
                .orElse(JSON.nullNode());
        String typedPath = at.valuePath() + "." + LocalRateLimitConfig.field(at.value(), "typed_config")
                .map(Map.Entry::getKey).orElse("typed_config");
        Optional<LocalRateLimitConfig.Located> config = LocalRateLimitConfig.unwrap(typedConfig, typedPath);
        if (config.isEmpty()) {
            unsupported(at.filter(), at.valuePath(), "HTTP filter " + at.value().path("name").asText("(unnamed)")
                    + " (" + LocalRateLimitConfig.typeOf(typedConfig) + ") is not supported by this gateway version "
                    + "(only " + FILTER_NAME + " with a typed_config of type " + LocalRateLimitConfig.TYPE_URL
                    + " is); patch ignored");
            return;
        }
        ignoreOthers(at, Set.of("name", "typed_config"));
        var outcome = new LocalRateLimitConfig(reporter, at.filter()).read(config.get());
        if (outcome.valid()) {
            inserted.add(new Inserted(where, outcome.limit().map(l -> at.limit(outcome, l))));
        }
    }

    private void routePatch(Context at, EnvoyFilterEnvoyConfigObjectPatch patch, EnvoyFilterMatches.Routes where) {
        EnvoyFilterPatchOperation operation = patch.getPatch().getOperation();
        var perFilter = LocalRateLimitConfig.field(at.value(), "typed_per_filter_config");
        if (operation != EnvoyFilterPatchOperation.MERGE || perFilter.isEmpty()) {
            unsupported(at.filter(), at.valuePath(), "an HTTP_ROUTE patch other than a MERGE of "
                    + "typed_per_filter_config for " + FILTER_NAME + " is not supported by this gateway version; "
                    + "patch ignored");
            return;
        }
        ignoreOthers(at, Set.of("typed_per_filter_config"));
        String perFilterPath = at.valuePath() + "." + perFilter.get().getKey();
        for (Iterator<Map.Entry<String, JsonNode>> it = perFilter.get().getValue().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String entryPath = perFilterPath + "." + entry.getKey();
            Optional<LocalRateLimitConfig.Located> config = LocalRateLimitConfig.unwrap(entry.getValue(), entryPath);
            if (config.isEmpty()) {
                unsupported(at.filter(), entryPath, "per-route config of " + entry.getKey() + " ("
                        + LocalRateLimitConfig.typeOf(entry.getValue()) + ") is not supported by this gateway "
                        + "version; ignored");
                continue;
            }
            var outcome = new LocalRateLimitConfig(reporter, at.filter()).read(config.get());
            if (outcome.valid()) {
                perRoute.add(new PerRoute(where, outcome.limit().map(l -> at.limit(outcome, l)),
                        at.filter().at(at.path())));
            }
        }
    }

    /** Fields of a patch value besides those read are reported and ignored. */
    private void ignoreOthers(Context at, Set<String> read) {
        for (Iterator<String> names = at.value().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(LocalRateLimitConfig.snakeCase(name))) {
                unsupported(at.filter(), at.valuePath() + "." + name, "field " + name + " is not supported by this "
                        + "gateway version here; ignored");
            }
        }
    }

    private void unsupported(SourceRef filter, String path, String message) {
        reporter.report(Code.UNSUPPORTED_FIELD, Level.WARNING, filter, path, message);
    }
}
