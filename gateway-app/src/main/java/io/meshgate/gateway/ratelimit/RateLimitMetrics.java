package io.meshgate.gateway.ratelimit;

import io.meshgate.translator.ir.RateLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of what the rate limits did: {@code meshgate_ratelimit_requests_total{policy, rule, result}} with result
 * {@code allowed}, {@code limited} (answered 429), {@code shadow_limited} (over a shadow-mode rule: let through) or
 * {@code error} (a global rule Redis could not answer in time); and
 * {@code meshgate_ratelimit_redis_failures_total{failure_mode}}.
 */
final class RateLimitMetrics {

    enum Result { ALLOWED, LIMITED, SHADOW_LIMITED, ERROR }

    private record Key(String rule, Result result) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();

    RateLimitMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(RateLimit rule, Result result) {
        Key key = new Key(rule.id(), result);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder("meshgate.ratelimit.requests")
                    .description("Requests checked against a rate limit rule, by outcome")
                    .tag("policy", rule.policy())
                    .tag("rule", rule.id())
                    .tag("result", result.name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry));
        }
        counter.increment();
    }

    void redisFailure(String failureMode) {
        registry.counter("meshgate.ratelimit.redis.failures", "failure_mode", failureMode).increment();
    }
}
