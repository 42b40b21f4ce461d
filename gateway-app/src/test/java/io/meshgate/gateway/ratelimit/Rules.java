package io.meshgate.gateway.ratelimit;

import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.SourceRef;
import java.time.Duration;
import java.util.List;

/** Rate limit rules for the tests, as the translator makes them from a RateLimitPolicy. */
final class Rules {

    private Rules() {
    }

    /** {@code requests} per {@code unit}, refilled continuously, without burst. */
    static RateLimit rule(String id, boolean global, long requests, Duration unit, RateLimitSelector... selectors) {
        return new RateLimit(id, "default/test", SourceRef.of("RateLimitPolicy", "default", "test"), global,
                List.of(selectors), new RateLimit.Limit(requests, requests, unit, true, requests, unit), false);
    }

    static RateLimitSelector selector(RateLimitSelector.Attribute attribute, RateLimitSelector.MatchType type,
            String name, String... values) {
        return new RateLimitSelector(attribute, type, name, List.of(values), false);
    }
}
