package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Istio's {@code CorsPolicy}.
 *
 * @param unmatchedPreflights {@code FORWARD} (default) or {@code IGNORE}
 */
public record CorsPolicy(List<StringMatcher> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
        List<String> exposeHeaders, Optional<Duration> maxAge, Optional<Boolean> allowCredentials,
        String unmatchedPreflights) {
    public CorsPolicy {
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = List.copyOf(allowMethods);
        allowHeaders = List.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
        requireNonNull(maxAge, "maxAge");
        requireNonNull(allowCredentials, "allowCredentials");
        requireNonNull(unmatchedPreflights, "unmatchedPreflights");
    }
}
