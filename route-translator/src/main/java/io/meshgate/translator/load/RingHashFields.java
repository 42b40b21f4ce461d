package io.meshgate.translator.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.diag.SourceLocation;
import io.meshgate.translator.ir.SourceRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code loadBalancer.consistentHash.ringHash} of a DestinationRule before it is bound. fabric8's model cannot
 * hold it (its {@code RingHash} type contains itself instead of {@code minimumRingSize}), so
 * {@code ringHash.minimumRingSize} is moved to the legacy {@code consistentHash.minimumRingSize}, which Istio reads
 * the same way when no {@code ringHash} is given. The legacy field written by hand is reported as deprecated.
 */
final class RingHashFields {

    private static final String RING_SIZE = "minimumRingSize";

    private final SourceRef ref;
    private final SourcePositions positions;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private boolean rejected;

    RingHashFields(SourceRef ref, SourcePositions positions) {
        this.ref = ref;
        this.positions = positions;
    }

    /** Rewrites every traffic policy of a DestinationRule in place. */
    void rewrite(ObjectNode resource) {
        JsonNode spec = resource.path("spec");
        policy(spec.path("trafficPolicy"), "spec.trafficPolicy");
        JsonNode subsets = spec.path("subsets");
        for (int i = 0; i < subsets.size(); i++) {
            policy(subsets.path(i).path("trafficPolicy"), "spec.subsets[" + i + "].trafficPolicy");
        }
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** Whether a malformed {@code ringHash} rejects the resource, as any schema error does. */
    boolean rejected() {
        return rejected;
    }

    private void policy(JsonNode policy, String path) {
        consistentHash(policy.path("loadBalancer").path("consistentHash"), path + ".loadBalancer.consistentHash");
        JsonNode ports = policy.path("portLevelSettings");
        for (int i = 0; i < ports.size(); i++) {
            String portPath = path + ".portLevelSettings[" + i + "].loadBalancer.consistentHash";
            consistentHash(ports.path(i).path("loadBalancer").path("consistentHash"), portPath);
        }
    }

    private void consistentHash(JsonNode node, String path) {
        if (!(node instanceof ObjectNode hash)) {
            return;
        }
        if (hash.has(RING_SIZE)) {
            report(Code.DEPRECATED, path + "." + RING_SIZE, "deprecated (expected: ringHash.minimumRingSize)");
        }
        JsonNode ringHash = hash.remove("ringHash");
        if (ringHash == null) {
            return;
        }
        hash.remove(RING_SIZE);
        if (!(ringHash instanceof ObjectNode ring)) {
            reject(Code.SCHEMA_VALIDATION_ERROR, path + ".ringHash", ringHash + " (expected: object)");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = ring.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String fieldPath = path + ".ringHash." + field.getKey();
            if (!field.getKey().equals(RING_SIZE)) {
                reject(Code.UNKNOWN_FIELD, fieldPath, "unknown field \"" + field.getKey() + "\"");
            } else if (!field.getValue().canConvertToLong() || field.getValue().asLong() < 0
                    || !field.getValue().isIntegralNumber()) {
                reject(Code.SCHEMA_VALIDATION_ERROR, fieldPath, field.getValue() + " (expected: integer >= 0)");
            } else {
                hash.set(RING_SIZE, field.getValue());
            }
        }
    }

    private void reject(Code code, String fieldPath, String message) {
        rejected = true;
        report(code, fieldPath, message);
    }

    private void report(Code code, String fieldPath, String message) {
        diagnostics.add(Diagnostic.of(code, ref, fieldPath, message).withLocation(
                positions.lineOf(fieldPath).map(line -> new SourceLocation(positions.file(), line))));
    }
}
