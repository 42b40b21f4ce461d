package io.meshgate.gateway.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counters of what the rate limits did: {@code meshgate_ratelimit_requests_total{policy, rule, result}} with result
 * {@code allowed}, {@code limited} (answered 429), {@code shadow_limited} (over a shadow-mode rule: let through) or
 * {@code error} (a global rule Redis could not answer in time); and
 * {@code meshgate_ratelimit_redis_failures_total{failure_mode}}.
 */
final class RateLimitMetrics {

    enum Result { ALLOWED, LIMITED, SHADOW_LIMITED, ERROR }

    private final MeterRegistry registry;

    RateLimitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counts one outcome of a rule, in the counter its buckets hold (registered on first use). */
    void count(RuleBuckets rule, Result result) {
        Counter counter = rule.counter(result);
        if (counter == null) {
            counter = Counter.builder("meshgate.ratelimit.requests")
                    .description("Requests checked against a rate limit rule, by outcome")
                    .tag("policy", rule.rule().policy())
                    .tag("rule", rule.rule().id())
                    .tag("result", result.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry);
            rule.counter(result, counter);
        }
        counter.increment();
    }

    void redisFailure(String failureMode) {
        registry.counter("meshgate.ratelimit.redis.failures", "failure_mode", failureMode).increment();
    }
}
