package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One rate limit rule in force on a route: a token bucket per distinct combination of the values its
 * {@link RateLimitSelector.MatchType#DISTINCT} selectors read (one bucket when it has none), for the requests every
 * selector matches. From a {@code RateLimitPolicy} rule, or an EnvoyFilter's {@code local_ratelimit} filter.
 *
 * @param id the rule's stable identity, the same in every gateway replica and across reloads that keep the rule:
 *     {@code ratelimitpolicy/<ns>/<name>/local/<i>} or {@code .../global/<i>}, {@code envoyfilter/<ns>/<name>/<i>};
 *     buckets (and, for global rules, their Redis keys) belong to it
 * @param policy {@code <ns>/<name>} of the resource, for metrics
 * @param origin the resource and the field path of the rule
 * @param global whether the buckets are shared by all replicas through Redis, else kept per gateway process
 * @param selectors conditions that must all hold for the rule to apply (none: every request)
 * @param limit the bucket
 * @param shadow count what would be rejected, never reject
 */
public record RateLimit(String id, String policy, SourceRef origin, boolean global, List<RateLimitSelector> selectors,
        Limit limit, boolean shadow) {
    public RateLimit {
        requireNonNull(id, "id");
        requireNonNull(policy, "policy");
        requireNonNull(origin, "origin");
        selectors = List.copyOf(selectors);
        requireNonNull(limit, "limit");
    }

    /**
     * A token bucket: it holds at most {@code capacity} tokens and gets {@code refillTokens} every
     * {@code refillPeriod}, continuously ({@code greedy}: a token as soon as its share of the period has passed) or
     * all at once at the end of each period (as Envoy's {@code local_ratelimit} token bucket). A request takes one
     * token; none left means over the limit.
     *
     * @param requests the advertised quota per {@code unit} ({@code RateLimit-Limit})
     * @param unit the quota's window
     */
    public record Limit(long capacity, long refillTokens, Duration refillPeriod, boolean greedy, long requests,
            Duration unit) {
        public Limit {
            requireNonNull(refillPeriod, "refillPeriod");
            requireNonNull(unit, "unit");
            if (capacity <= 0 || refillTokens <= 0 || refillPeriod.isNegative() || refillPeriod.isZero()) {
                throw new IllegalArgumentException("a bucket needs a positive capacity, refill and period");
            }
        }
    }
}
