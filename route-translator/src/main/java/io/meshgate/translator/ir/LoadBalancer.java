package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * Istio's {@code LoadBalancerSettings}.
 *
 * @param simple {@code ROUND_ROBIN}, {@code LEAST_REQUEST}, {@code RANDOM} or {@code PASSTHROUGH}; the deprecated
 *     {@code LEAST_CONN} is carried as {@code LEAST_REQUEST}
 * @param consistentHash session affinity, when set instead of {@code simple}
 * @param warmup slow start for new endpoints
 */
public record LoadBalancer(Optional<String> simple, Optional<ConsistentHash> consistentHash,
        Optional<Duration> warmup) {
    public LoadBalancer {
        requireNonNull(simple, "simple");
        requireNonNull(consistentHash, "consistentHash");
        requireNonNull(warmup, "warmup");
    }

    /**
     * Consistent hashing.
     *
     * @param key {@code httpHeaderName}, {@code httpCookie}, {@code useSourceIp} or {@code httpQueryParameterName}
     * @param name the header, cookie or parameter name (empty for source IP)
     * @param cookiePath the cookie path, for {@code httpCookie}
     * @param cookieTtl the cookie lifetime, for {@code httpCookie}
     * @param algorithm {@code ringHash} or {@code maglev}
     * @param tableSize the ring or table size
     */
    public record ConsistentHash(String key, String name, Optional<String> cookiePath, Optional<Duration> cookieTtl,
            String algorithm, long tableSize) {
        public ConsistentHash {
            requireNonNull(key, "key");
            requireNonNull(name, "name");
            requireNonNull(cookiePath, "cookiePath");
            requireNonNull(cookieTtl, "cookieTtl");
            requireNonNull(algorithm, "algorithm");
        }
    }
}
