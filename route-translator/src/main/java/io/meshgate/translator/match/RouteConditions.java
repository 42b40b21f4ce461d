package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.StringMatcher;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The conditions of one route that its virtual host's {@link UriIndex} has not already checked, ready to evaluate
 * against a request: every one must hold. Cheap conditions come first; the order cannot change the outcome.
 */
final class RouteConditions {

    private final boolean anyPort;
    private final int port;
    private final @Nullable ValueMatcher method;
    private final @Nullable ValueMatcher scheme;
    private final @Nullable ValueMatcher authority;
    private final Named[] headers;
    private final Named[] withoutHeaders;
    private final Named[] queryParams;
    private final @Nullable ValueMatcher uri;

    private RouteConditions(RouteMatch match) {
        anyPort = match.port().isEmpty();
        port = match.port().orElse(0);
        method = compile(match.method());
        scheme = compile(match.scheme());
        authority = compile(match.authority());
        headers = compile(match.headers());
        withoutHeaders = compile(match.withoutHeaders());
        queryParams = compile(match.queryParams());
        // The UriIndex offers a route with an exact or prefix uri only for paths that meet it, and a path is always
        // present; only a regex, which the index at most narrows by its literal prefix, is left to check.
        uri = compile(match.uri().filter(StringMatcher.Regex.class::isInstance));
    }

    static RouteConditions of(RouteMatch match) {
        return new RouteConditions(match);
    }

    boolean holds(RequestView request) {
        return (anyPort || port == request.port())
                && matches(method, request.method())
                && matches(scheme, request.scheme())
                && matches(authority, request.authority())
                && headersHold(request)
                && queryParamsHold(request)
                && matches(uri, request.path());
    }

    private boolean headersHold(RequestView request) {
        for (Named header : headers) {
            if (!header.matcher().matches(request.header(header.name()))) {
                return false;
            }
        }
        for (Named header : withoutHeaders) {
            if (header.matcher().matches(request.header(header.name()))) {
                return false;
            }
        }
        return true;
    }

    private boolean queryParamsHold(RequestView request) {
        for (Named param : queryParams) {
            if (!param.matcher().matches(QueryParams.firstValue(request.query(), param.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(@Nullable ValueMatcher matcher, @Nullable String value) {
        return matcher == null || matcher.matches(value);
    }

    private static @Nullable ValueMatcher compile(Optional<StringMatcher> matcher) {
        return matcher.map(ValueMatcher::of).orElse(null);
    }

    private static Named[] compile(List<HeaderMatch> matches) {
        return matches.stream().map(m -> new Named(m.name(), ValueMatcher.of(m.matcher()))).toArray(Named[]::new);
    }

    /** A condition on one header or query parameter. */
    private record Named(String name, ValueMatcher matcher) {
        Named {
            requireNonNull(name, "name");
            requireNonNull(matcher, "matcher");
        }
    }
}
