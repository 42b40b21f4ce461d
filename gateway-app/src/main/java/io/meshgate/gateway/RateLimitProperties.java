package io.meshgate.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How rate limits are enforced ({@code gateway.ratelimit.*}).
 *
 * @param redisUri the Redis that holds the buckets of global rules, such as {@code redis://127.0.0.1:6379}; empty:
 *     global rules are not enforced (each request is let through, logged once and counted as a failure)
 * @param failureMode what a global rule does when Redis does not answer within {@code timeout} or is down:
 *     {@code open} lets the request through (logged and counted), {@code closed} refuses it (500, flag RLSE), as
 *     Envoy's {@code failure_mode_deny}
 * @param timeout the longest a request waits for Redis
 * @param maxLocalBuckets the most buckets kept per gateway process for the distinct values of local rules (client
 *     addresses, header values); past it the least used are dropped, so a flood of random keys cannot exhaust the heap
 */
@ConfigurationProperties("gateway.ratelimit")
public record RateLimitProperties(@DefaultValue("") String redisUri, @DefaultValue("open") FailureMode failureMode,
        @DefaultValue("50ms") Duration timeout, @DefaultValue("100000") int maxLocalBuckets) {
    public RateLimitProperties {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("gateway.ratelimit.timeout: " + timeout + " (expected: > 0)");
        }
        if (maxLocalBuckets <= 0) {
            throw new IllegalArgumentException("gateway.ratelimit.max-local-buckets: " + maxLocalBuckets
                    + " (expected: > 0)");
        }
    }

    /** What happens to a request whose global rule cannot be checked. */
    public enum FailureMode {
        /** Let it through. */
        OPEN,
        /** Refuse it. */
        CLOSED
    }
}
