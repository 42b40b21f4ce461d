package io.meshgate.translator.translate;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRetry;
import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.RetryPolicy;
import io.meshgate.translator.ir.SourceRef;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Converts Istio's {@code HTTPRetry} to a retry policy, with Istio's defaults. */
final class RetryConverter {

    private RetryConverter() {
    }

    static RetryPolicy convert(HTTPRetry retry, Reporter reporter, SourceRef source, String path, String origin) {
        int attempts = retry.getAttempts() == null ? 0 : retry.getAttempts();
        if (attempts < 0) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".attempts", attempts + " (expected: >= 0)");
            attempts = 0;
        }
        Optional<Duration> perTry = retry.getPerTryTimeout() == null ? Optional.empty()
                : reporter.duration(retry.getPerTryTimeout(), source, path + ".perTryTimeout");
        if (perTry.isPresent() && perTry.get().toMillis() < 1) {
            reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".perTryTimeout",
                    retry.getPerTryTimeout() + " (expected: at least 1ms)");
            perTry = Optional.empty();
        }
        List<String> retryOn = retry.getRetryOn() == null || retry.getRetryOn().isBlank()
                ? RetryPolicy.MESH_DEFAULT.retryOn()
                : Arrays.stream(retry.getRetryOn().split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String policy : retryOn) {
            if (!RetryOnPolicies.isValid(policy)) {
                reporter.report(Code.SCHEMA_VALIDATION_ERROR, source, path + ".retryOn", "\"" + policy
                        + "\" is not a valid retryOn policy (expected: " + RetryOnPolicies.EXPECTED + ")");
            }
        }
        // what no condition can match is left out
        retryOn = retryOn.stream().filter(RetryOnPolicies::isValid).toList();
        Duration backoff = retry.getBackoff() == null ? Duration.ofMillis(25)
                : reporter.duration(retry.getBackoff(), source, path + ".backoff").orElse(Duration.ofMillis(25));
        boolean ignorePrevious = retry.getRetryIgnorePreviousHosts() == null || retry.getRetryIgnorePreviousHosts();
        return new RetryPolicy(attempts, perTry, retryOn, backoff, ignorePrevious, origin);
    }
}
