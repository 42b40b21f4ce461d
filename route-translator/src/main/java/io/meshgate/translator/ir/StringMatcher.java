package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/** Istio's {@code StringMatch}: exact, prefix or RE2 regex (full match), plus presence for headers. */
public sealed interface StringMatcher {

    /** The value equals this string. */
    record Exact(String value) implements StringMatcher {
        public Exact {
            requireNonNull(value, "value");
        }
    }

    /** The value starts with this string. */
    record Prefix(String value) implements StringMatcher {
        public Prefix {
            requireNonNull(value, "value");
        }
    }

    /** The whole value matches this RE2 expression. */
    record Regex(String regex) implements StringMatcher {
        public Regex {
            requireNonNull(regex, "regex");
        }
    }

    /** The header or query parameter is present, whatever its value. */
    record Present() implements StringMatcher {
    }
}
