package io.meshgate.gateway.filter;

import io.meshgate.gateway.proxy.UpstreamFailure;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code retryOn} conditions of an Istio retry policy, judged as Envoy's router does.
 *
 * <ul>
 *   <li>{@code 5xx}: any 5xx response, and any failure before a response (connect failure, reset, per-try
 *       timeout).
 *   <li>{@code gateway-error}: 502, 503 and 504, and any failure before a response.
 *   <li>{@code reset}: a connect failure or a reset or premature close before the response; not a per-try timeout
 *       (Envoy retries those only under {@code 5xx} and {@code gateway-error}).
 *   <li>{@code connect-failure} and {@code reset-before-request}: a connect failure.
 *   <li>{@code retriable-4xx}: 409.
 *   <li>status codes written in the list, such as {@code 503}: that status. Istio adds
 *       {@code retriable-status-codes} for them, so the keyword itself adds nothing.
 *   <li>{@code cancelled}, {@code deadline-exceeded}, {@code internal}, {@code resource-exhausted},
 *       {@code unavailable}: that {@code grpc-status} in the response headers (trailers-only responses).
 *   <li>{@code envoy-ratelimited}: a response with {@code x-envoy-ratelimited}, which nothing else retries.
 * </ul>
 *
 * <p>{@code refused-stream} (an HTTP/2 backend refusing a stream) is not told apart from other resets yet and
 * matches nothing by itself. {@code retriable-headers} and {@code http3-post-connect-failure} need
 * configuration Istio does not expose and match nothing.
 */
final class RetryOn {

    private static final Map<String, Integer> GRPC_CODES = Map.of("cancelled", 1, "deadline-exceeded", 4,
            "resource-exhausted", 8, "internal", 13, "unavailable", 14);

    private final Set<String> policies = new HashSet<>();
    private final Set<Integer> statusCodes = new HashSet<>();
    private final Set<Integer> grpcCodes = new HashSet<>();

    private RetryOn(List<String> conditions) {
        for (String condition : conditions) {
            String name = condition.strip().toLowerCase(Locale.ROOT);
            if (name.matches("\\d{3}")) {
                statusCodes.add(Integer.parseInt(name));
            } else if (GRPC_CODES.containsKey(name)) {
                grpcCodes.add(GRPC_CODES.get(name));
            } else {
                policies.add(name);
            }
        }
    }

    static RetryOn parse(List<String> conditions) {
        return new RetryOn(conditions);
    }

    boolean matches(TryOutcome outcome) {
        if (outcome instanceof TryOutcome.Response response) {
            return matches(response);
        }
        if (outcome instanceof TryOutcome.Failed failed) {
            return matches(failed.failure());
        }
        return false;
    }

    private boolean matches(UpstreamFailure failure) {
        boolean anyFailure = has("5xx") || has("gateway-error");
        return switch (failure) {
            case CONNECT_FAILURE -> anyFailure || has("reset") || has("connect-failure")
                    || has("reset-before-request");
            case RESET -> anyFailure || has("reset");
            // Envoy resets the stream on a protocol error; a 502 counts for 5xx and gateway-error
            case PROTOCOL_ERROR -> anyFailure || has("reset");
            case TIMEOUT -> anyFailure;
        };
    }

    private boolean matches(TryOutcome.Response response) {
        if (response.envoyRateLimited()) {
            return has("envoy-ratelimited");
        }
        int status = response.status();
        return has("5xx") && status >= 500 && status <= 599
                || has("gateway-error") && status >= 502 && status <= 504
                || has("retriable-4xx") && status == 409
                || statusCodes.contains(status)
                || response.grpcStatus().isPresent() && grpcCodes.contains(response.grpcStatus().getAsInt());
    }

    private boolean has(String policy) {
        return policies.contains(policy);
    }

    @Override
    public String toString() {
        return "RetryOn{policies=" + policies + ", statusCodes=" + statusCodes + ", grpcCodes=" + grpcCodes + "}";
    }
}
