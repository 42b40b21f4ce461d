package io.meshgate.translator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRetry;
import io.fabric8.istio.api.api.networking.v1alpha3.OutlierDetection;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes the seed document's {@code trafficPolicy.circuitBreaker} and {@code trafficPolicy.retryPolicy} out of a
 * DestinationRule before it is bound, binds them to the Istio types they stand for, and warns with the real field.
 * The Kubernetes API server prunes such fields, so only files carry them.
 */
final class SeedFieldReader {

    private final SourceRef ref;
    private final SourcePositions positions;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<String, OutlierDetection> circuitBreakers = new HashMap<>();
    private final Map<String, HTTPRetry> retryPolicies = new HashMap<>();
    private boolean rejected;

    SeedFieldReader(SourceRef ref, SourcePositions positions) {
        this.ref = ref;
        this.positions = positions;
    }

    SeedFields extract(ObjectNode resource) {
        JsonNode spec = resource.path("spec");
        extractFrom(spec.path("trafficPolicy"), "spec.trafficPolicy");
        JsonNode subsets = spec.path("subsets");
        for (int i = 0; i < subsets.size(); i++) {
            extractFrom(subsets.path(i).path("trafficPolicy"), "spec.subsets[" + i + "].trafficPolicy");
        }
        return new SeedFields(circuitBreakers, retryPolicies);
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Whether a seed field was malformed, which rejects the resource as any schema error does. */
    boolean rejected() {
        return rejected;
    }

    private void extractFrom(JsonNode policy, String path) {
        if (!(policy instanceof ObjectNode trafficPolicy)) {
            return;
        }
        JsonNode circuitBreaker = trafficPolicy.remove("circuitBreaker");
        if (circuitBreaker != null) {
            readCircuitBreaker(circuitBreaker, path, trafficPolicy.has("outlierDetection"));
        }
        JsonNode retryPolicy = trafficPolicy.remove("retryPolicy");
        if (retryPolicy != null) {
            readRetryPolicy(retryPolicy, path);
        }
    }

    private void readCircuitBreaker(JsonNode value, String path, boolean outlierDetectionSet) {
        String field = path + ".circuitBreaker";
        if (outlierDetectionSet) {
            warn(field, "circuitBreaker is not an Istio field and is ignored: " + path
                    + ".outlierDetection is also set (Istio's circuit breaking is outlierDetection with connectionPool)");
            return;
        }
        OutlierDetection bound = bind(value, OutlierDetection.class, field);
        if (bound != null) {
            circuitBreakers.put(path, bound);
            warn(field, "circuitBreaker is not an Istio field; applied as " + path
                    + ".outlierDetection (Istio's circuit breaking is outlierDetection with connectionPool limits)");
        }
    }

    private void readRetryPolicy(JsonNode value, String path) {
        String field = path + ".retryPolicy";
        HTTPRetry bound = bind(value, HTTPRetry.class, field);
        if (bound != null) {
            retryPolicies.put(path, bound);
            warn(field, "retryPolicy is not an Istio field: retries belong to VirtualService spec.http[].retries; "
                    + "applied as the retries of every route to this host that sets none");
        }
    }

    private <T> T bind(JsonNode value, Class<T> type, String field) {
        ModelBinder.Result<T> result = ModelBinder.bind(value, type, field);
        for (ModelBinder.Problem problem : result.problems()) {
            rejected = true;
            diagnostics.add(located(Diagnostic.of(problem.unknownField() ? Code.UNKNOWN_FIELD
                    : Code.SCHEMA_VALIDATION_ERROR, ref, problem.fieldPath(), problem.message())));
        }
        return result.value();
    }

    private void warn(String field, String message) {
        diagnostics.add(located(Diagnostic.of(Code.NON_ISTIO_FIELD, ref, field, message)));
    }

    private Diagnostic located(Diagnostic diagnostic) {
        return diagnostic.withLocation(positions.lineOf(diagnostic.fieldPath())
                .map(line -> new SourceLocation(positions.file(), line)));
    }
}
