package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meshgate.translator.ir.StringMatcher;
import org.jspecify.annotations.Nullable;

/** A {@link StringMatcher} made ready for per-request use: its regex is compiled once, when the index is built. */
sealed interface ValueMatcher {

    /** Whether the value, null when the header or parameter is absent, satisfies the condition. */
    boolean matches(@Nullable String value);

    static ValueMatcher of(StringMatcher matcher) {
        if (matcher instanceof StringMatcher.Exact exact) {
            return new Exact(exact.value());
        }
        if (matcher instanceof StringMatcher.Prefix prefix) {
            return new Prefix(prefix.value());
        }
        if (matcher instanceof StringMatcher.Regex regex) {
            return Regex.compile(regex.regex());
        }
        return new Present();
    }

    /** The value equals a string. */
    record Exact(String expected) implements ValueMatcher {
        public Exact {
            requireNonNull(expected, "expected");
        }

        @Override
        public boolean matches(@Nullable String value) {
            return expected.equals(value);
        }
    }

    /** The value starts with a string. */
    record Prefix(String prefix) implements ValueMatcher {
        public Prefix {
            requireNonNull(prefix, "prefix");
        }

        @Override
        public boolean matches(@Nullable String value) {
            return value != null && value.startsWith(prefix);
        }
    }

    /** The whole value matches an RE2 expression, as Envoy's {@code safe_regex} does. */
    record Regex(Pattern pattern) implements ValueMatcher {
        public Regex {
            requireNonNull(pattern, "pattern");
        }

        /**
         * Validation reports an invalid or too costly regex; should one reach the matcher anyway, only its
         * condition fails, so the rest of the snapshot keeps working.
         */
        static ValueMatcher compile(String regex) {
            try {
                return new Regex(BoundedRegex.compile(regex));
            } catch (PatternSyntaxException e) {
                return new Never();
            }
        }

        @Override
        public boolean matches(@Nullable String value) {
            return value != null && pattern.matcher(value).matches();
        }
    }

    /** The header or parameter is there, whatever its value. */
    record Present() implements ValueMatcher {
        @Override
        public boolean matches(@Nullable String value) {
            return value != null;
        }
    }

    /** Stands for a condition that cannot be evaluated, such as an invalid regex. */
    record Never() implements ValueMatcher {
        @Override
        public boolean matches(@Nullable String value) {
            return false;
        }
    }
}
