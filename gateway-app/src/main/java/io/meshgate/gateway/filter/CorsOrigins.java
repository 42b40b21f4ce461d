package io.meshgate.gateway.filter;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.match.BoundedRegex;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a CORS policy allows an {@code Origin}, as Envoy's CORS filter does: an origin is allowed when
 * one of {@code allowOrigins} matches it, or matches {@code *} (so {@code exact: "*"} allows every origin). Exact and
 * prefix matches are case-sensitive; a regex is RE2 and must match the whole origin.
 */
final class CorsOrigins {

    private final Map<String, Optional<Pattern>> patterns = new ConcurrentHashMap<>();

    boolean allows(List<StringMatcher> allowOrigins, String origin) {
        for (StringMatcher matcher : allowOrigins) {
            if (matches(matcher, "*") || matches(matcher, origin)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(StringMatcher matcher, String value) {
        if (matcher instanceof StringMatcher.Exact exact) {
            return exact.value().equals(value);
        }
        if (matcher instanceof StringMatcher.Prefix prefix) {
            return value.startsWith(prefix.value());
        }
        if (matcher instanceof StringMatcher.Regex regex) {
            Optional<Pattern> pattern = patterns.computeIfAbsent(regex.regex(), CorsOrigins::compile);
            return pattern.isPresent() && pattern.get().matches(value);
        }
        return matcher instanceof StringMatcher.Present;
    }

    // the translator rejects invalid expressions; one that slips through allows nothing rather than failing requests
    private static Optional<Pattern> compile(String regex) {
        try {
            return Optional.of(BoundedRegex.compile(regex));
        } catch (PatternSyntaxException e) {
            return Optional.empty();
        }
    }
}
