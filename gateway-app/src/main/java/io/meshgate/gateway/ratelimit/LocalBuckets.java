package io.meshgate.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;

/**
 * The buckets of local rules in this gateway process. A rule's buckets per distinct value are held in one bounded
 * cache for all rules: at most {@code maxBuckets}, the least used dropped first beyond that, and each forgotten once
 * unused long enough to be full again (so forgetting it changes nothing). A flood of random keys (client addresses,
 * header values) therefore costs at most {@code maxBuckets} entries. Taking a token is lock-free.
 */
final class LocalBuckets {

    private record Key(RuleBuckets rule, String value) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.rule == rule && key.value.equals(value);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(rule) * 31 + value.hashCode();
        }
    }

    private final Cache<Key, Bucket> distinct;

    LocalBuckets(int maxBuckets) {
        this.distinct = Caffeine.newBuilder()
                .maximumSize(maxBuckets)
                .expireAfter(Expiry.accessing((Key key, Bucket bucket) -> java.time.Duration.ofNanos(
                        key.rule().idleNanos())))
                .build();
    }

    /** Takes a token for a request with bucket key {@code key} of {@code rule}. */
    Decision consume(RuleBuckets rule, String key) {
        Bucket bucket = rule.selectors().distinct()
                ? distinct.get(new Key(rule, key), k -> k.rule().newBucket())
                : rule.single();
        return Decision.of(bucket.tryConsumeAndReturnRemaining(1));
    }

    /** The buckets held for distinct values now (after pending evictions). */
    long size() {
        distinct.cleanUp();
        return distinct.estimatedSize();
    }
}
