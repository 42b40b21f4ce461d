package io.meshgate.translator.translate;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.SourceRef;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The weights of a rule's destinations, http or tls alike. Istio: one destination takes all traffic whatever its
 * weight; several share it by relative weight.
 */
final class Weights {

    private Weights() {
    }

    /**
     * The weight of each destination, or empty when they cannot split traffic (reported).
     *
     * @param written the weights as written, null where left out
     * @param path the field path of the rule's {@code route} list
     */
    static Optional<int[]> of(List<@Nullable Integer> written, Reporter reporter, SourceRef source, String path) {
        int[] weights = new int[written.size()];
        long sum = 0;
        for (int j = 0; j < written.size(); j++) {
            Integer weight = written.get(j);
            weights[j] = weight == null ? 0 : weight;
            if (weights[j] < 0) {
                reporter.report(Code.INVALID_WEIGHTS, source, path + "[" + j + "].weight",
                        weights[j] + " (expected: 0 or more)");
                return Optional.empty();
            }
            sum += weights[j];
        }
        if (written.size() == 1) {
            weights[0] = 100;
            return Optional.of(weights);
        }
        if (sum == 0) {
            reporter.report(Code.INVALID_WEIGHTS, source, path,
                    "all " + written.size() + " destinations have weight 0 (expected: weights that sum to 100)");
            return Optional.empty();
        }
        if (sum != 100) {
            reporter.report(Code.SUSPICIOUS_WEIGHTS, source, path, "weights sum to " + sum
                    + "; traffic is split in proportion to them (expected: weights that sum to 100)");
        }
        return Optional.of(weights);
    }
}
