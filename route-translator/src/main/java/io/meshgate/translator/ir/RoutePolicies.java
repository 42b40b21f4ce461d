package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything an http rule applies around its action.
 *
 * @param headers route-level header operations
 * @param fault delay and abort injection
 * @param timeout the whole-request timeout (Istio's default: none)
 * @param retry the retry policy in force, with where it came from
 * @param mirrors shadow destinations
 * @param cors the CORS policy
 * @param rateLimits the rate limit rules in force, in the order they are checked (those of Gateway-wide policies
 *     first; local rules of a policy before its global ones, so that they shed load before the Redis round trip)
 */
public record RoutePolicies(HeaderPolicy headers, Optional<FaultPolicy> fault, Optional<Duration> timeout,
        Optional<RetryPolicy> retry, List<Mirror> mirrors, Optional<CorsPolicy> cors, List<RateLimit> rateLimits) {
    public static final RoutePolicies NONE = new RoutePolicies(HeaderPolicy.NONE, Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty(), List.of());

    public RoutePolicies {
        requireNonNull(headers, "headers");
        requireNonNull(fault, "fault");
        requireNonNull(timeout, "timeout");
        requireNonNull(retry, "retry");
        mirrors = List.copyOf(mirrors);
        requireNonNull(cors, "cors");
        rateLimits = List.copyOf(rateLimits);
    }

    /** The same policies with {@code limits} in force. */
    public RoutePolicies withRateLimits(List<RateLimit> limits) {
        return new RoutePolicies(headers, fault, timeout, retry, mirrors, cors, limits);
    }
}
