package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Istio's {@code HTTPRewrite}.
 *
 * @param uri replaces the matched prefix (or the whole path for an exact or regex match)
 * @param uriRegex replaces every match of an RE2 expression in the path
 */
public record Rewrite(Optional<String> uri, Optional<String> authority, Optional<RegexRewrite> uriRegex) {
    public Rewrite {
        requireNonNull(uri, "uri");
        requireNonNull(authority, "authority");
        requireNonNull(uriRegex, "uriRegex");
    }

    /** {@code uriRegexRewrite}: RE2 {@code match} and its {@code rewrite} with {@code \1}-style groups. */
    public record RegexRewrite(String match, String rewrite) {
        public RegexRewrite {
            requireNonNull(match, "match");
            requireNonNull(rewrite, "rewrite");
        }
    }
}
