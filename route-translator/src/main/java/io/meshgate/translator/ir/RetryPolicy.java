package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Istio's {@code HTTPRetry}, with defaults resolved.
 *
 * @param attempts retries after the first try; 0 disables retries
 * @param perTryTimeout the timeout of each try (default: the route timeout)
 * @param retryOn Envoy retry conditions and status codes
 * @param backoff the base interval of the exponential back-off (Envoy default 25 ms)
 * @param retryIgnorePreviousHosts whether a retry avoids the endpoints already tried (Istio default true)
 * @param origin {@code VirtualService} when written on the rule, {@code DestinationRule.retryPolicy} when mapped
 *     from a DestinationRule's non-Istio {@code retryPolicy}, or {@code mesh-default}
 */
public record RetryPolicy(int attempts, Optional<Duration> perTryTimeout, List<String> retryOn, Duration backoff,
        boolean retryIgnorePreviousHosts, String origin) {

    /** Istio's {@code MeshConfig.defaultHttpRetryPolicy} when a rule sets no {@code retries}. */
    public static final RetryPolicy MESH_DEFAULT = new RetryPolicy(2, Optional.empty(),
            List.of("connect-failure", "refused-stream", "unavailable", "cancelled"), Duration.ofMillis(25), true,
            "mesh-default");

    public RetryPolicy {
        requireNonNull(perTryTimeout, "perTryTimeout");
        retryOn = List.copyOf(retryOn);
        requireNonNull(backoff, "backoff");
        requireNonNull(origin, "origin");
    }
}
