package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * Istio's {@code HTTPMatchRequest}: every present condition must hold. An empty match matches every request.
 *
 * @param uri the request path without its query
 * @param ignoreUriCase whether {@code uri} exact and prefix compare case-insensitively
 * @param port the Gateway server port the request arrived on
 */
public record RouteMatch(Optional<StringMatcher> uri, boolean ignoreUriCase, Optional<StringMatcher> scheme,
        Optional<StringMatcher> method, Optional<StringMatcher> authority, List<HeaderMatch> headers,
        List<HeaderMatch> withoutHeaders, List<HeaderMatch> queryParams, Optional<Integer> port) {

    public static final RouteMatch ANY = new RouteMatch(Optional.empty(), false, Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), List.of(), List.of(), Optional.empty());

    public RouteMatch {
        requireNonNull(uri, "uri");
        requireNonNull(scheme, "scheme");
        requireNonNull(method, "method");
        requireNonNull(authority, "authority");
        headers = List.copyOf(headers);
        withoutHeaders = List.copyOf(withoutHeaders);
        queryParams = List.copyOf(queryParams);
        requireNonNull(port, "port");
    }

    /** Whether this match has no condition at all. */
    public boolean matchesEverything() {
        return this.equals(ANY) || (uri.isEmpty() && scheme.isEmpty() && method.isEmpty() && authority.isEmpty()
                && headers.isEmpty() && withoutHeaders.isEmpty() && queryParams.isEmpty() && port.isEmpty());
    }
}
