package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/**
 * A condition on one named header or query parameter.
 *
 * @param name the header name in lower case, or the query parameter name as written
 */
public record HeaderMatch(String name, StringMatcher matcher) {
    public HeaderMatch {
        requireNonNull(name, "name");
        requireNonNull(matcher, "matcher");
    }
}
