package io.meshgate.translator.ir;

/**
 * Istio's {@code trafficPolicy.retryBudget}: the retries under way to a cluster may be at most {@code percent} of its
 * requests in flight, and always at least {@code minRetryConcurrency} (Envoy's retry budget).
 *
 * @param percent the share of requests in flight, 0 to 100 (Istio's default: 20)
 * @param minRetryConcurrency the retries always allowed at once (default 3)
 */
public record RetryBudget(double percent, int minRetryConcurrency) {
}
