package io.meshgate.translator.translate;

import java.util.Set;

/**
 * The words a {@code retries.retryOn} list may hold, as Istio's validation has them ({@code supportedRetryOnPolicies}
 * in {@code pkg/config/validation}): Envoy's {@code x-envoy-retry-on} and {@code x-envoy-retry-grpc-on} policies, or
 * an HTTP status code that Go's {@code http.StatusText} knows. Istio's webhook refuses a VirtualService with any other.
 */
final class RetryOnPolicies {

    static final String EXPECTED = "an Envoy retry policy such as 5xx, gateway-error, reset, connect-failure, "
            + "refused-stream, retriable-4xx, retriable-status-codes, unavailable, cancelled, or an HTTP status code";

    private static final Set<String> POLICIES = Set.of(
            // x-envoy-retry-on
            "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "retriable-4xx",
            "refused-stream", "retriable-status-codes", "retriable-headers", "envoy-ratelimited",
            "http3-post-connect-failure",
            // x-envoy-retry-grpc-on
            "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable");

    /** The status codes Go's {@code net/http} names. */
    private static final Set<Integer> STATUS_CODES = Set.of(100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206,
            207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409,
            410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501,
            502, 503, 504, 505, 506, 507, 508, 510, 511);

    private RetryOnPolicies() {
    }

    static boolean isValid(String policy) {
        if (POLICIES.contains(policy)) {
            return true;
        }
        if (policy.isEmpty() || policy.length() > 3 || !policy.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        return STATUS_CODES.contains(Integer.parseInt(policy));
    }
}
