package io.meshgate.gateway.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.meshgate.translator.ir.RateLimit;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The buckets of one rate limit rule as long as its identity and limit stay the same: a configuration reload that
 * keeps them keeps this object, and with it the state of its buckets; a changed limit starts afresh. The one bucket
 * of a rule without distinct selectors lives here; those per distinct value live in {@link LocalBuckets} (local
 * rules) or Redis (global rules, under {@link #redisKeyPrefix}).
 */
final class RuleBuckets {

    private final RateLimit rule;
    private final ClientSelectors selectors;
    private final BucketConfiguration configuration;
    private final long idleNanos;
    private final String redisKeyPrefix;
    private volatile Bucket single;
    /** The outcome counters of this rule, by {@link RateLimitMetrics.Result} ordinal; registering one is idempotent. */
    private final Counter[] counters = new Counter[RateLimitMetrics.Result.values().length];

    RuleBuckets(RateLimit rule) {
        this.rule = rule;
        this.selectors = ClientSelectors.of(rule.selectors());
        RateLimit.Limit limit = rule.limit();
        this.configuration = BucketConfiguration.builder()
                .addLimit(bandwidth -> {
                    var capacity = bandwidth.capacity(limit.capacity());
                    return limit.greedy() ? capacity.refillGreedy(limit.refillTokens(), limit.refillPeriod())
                            : capacity.refillIntervally(limit.refillTokens(), limit.refillPeriod());
                })
                .build();
        // a bucket untouched for this long is full again, the same as a new one: it may be forgotten
        long periods = (limit.capacity() + limit.refillTokens() - 1) / limit.refillTokens();
        this.idleNanos = Math.max(Duration.ofSeconds(1).toNanos(),
                saturatedMultiply(periods, limit.refillPeriod().toNanos()));
        this.redisKeyPrefix = "meshgate:ratelimit:" + rule.id() + ":" + limit.capacity() + "/" + limit.refillTokens()
                + "/" + limit.refillPeriod().toMillis() + (limit.greedy() ? "g" : "i") + ":";
    }

    RateLimit rule() {
        return rule;
    }

    ClientSelectors selectors() {
        return selectors;
    }

    BucketConfiguration configuration() {
        return configuration;
    }

    /** How long a bucket of this rule may go unused before it is forgotten. */
    long idleNanos() {
        return idleNanos;
    }

    @Nullable Counter counter(RateLimitMetrics.Result result) {
        return counters[result.ordinal()];
    }

    void counter(RateLimitMetrics.Result result, Counter counter) {
        counters[result.ordinal()] = counter;
    }

    String redisKey(String key) {
        return redisKeyPrefix + key;
    }

    /** The bucket of a rule without distinct selectors, made on first use. */
    Bucket single() {
        Bucket bucket = single;
        if (bucket == null) {
            synchronized (this) {
                bucket = single;
                if (bucket == null) {
                    bucket = newBucket();
                    single = bucket;
                }
            }
        }
        return bucket;
    }

    /** A new local bucket, full. Lock-free (Bucket4j's default compare-and-swap strategy). */
    Bucket newBucket() {
        return Bucket.builder().addLimit(configuration.getBandwidths()[0]).build();
    }

    private static long saturatedMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
    }
}
