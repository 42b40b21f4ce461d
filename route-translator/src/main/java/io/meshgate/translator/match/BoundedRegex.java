package io.meshgate.translator.match;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/**
 * The one way a user's RE2 expression is compiled, in the translator and in the proxies: its length and the size
 * of its compiled program are bounded before RE2J builds anything, as Envoy bounds RE2's program size
 * ({@code re2.max_program_size.error_level}, which Istio's bootstrap sets to 32768) and RE2 bounds nested
 * repetition counts (a product of at most 1000). An expression over a bound is refused like a syntax error, so a
 * configuration cannot make a proxy compile a program that exhausts its memory.
 */
public final class BoundedRegex {

    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 32_768;
    /** The largest compiled program accepted, in instructions (Istio's {@code re2.max_program_size}). */
    public static final int MAX_PROGRAM_SIZE = 32_768;
    /** The largest product of nested repetition counts accepted ({@code (x{10}){100}} is 1000), as RE2's. */
    public static final int MAX_REPEAT_PRODUCT = 1000;

    private static final int QUOTED_LENGTH = 64;

    private BoundedRegex() {
    }

    /**
     * Why the expression may not be compiled, phrased {@code "<what>: <value> (expected: <bound>)"}, or empty when
     * it is within every bound. It reads the expression once and allocates nothing per character.
     */
    public static Optional<String> excess(String regex) {
        if (regex.length() > MAX_LENGTH) {
            return Optional.of("length: " + regex.length() + " characters (expected: at most " + MAX_LENGTH + ")");
        }
        RegexCost cost = RegexCost.of(regex);
        if (cost.depth() > RegexCost.MAX_DEPTH) {
            return Optional.of("group nesting: more than " + RegexCost.MAX_DEPTH + " (expected: at most "
                    + RegexCost.MAX_DEPTH + ")");
        }
        if (cost.repeatProduct() > MAX_REPEAT_PRODUCT) {
            return Optional.of("nested repetition count: " + cost.repeatProduct() + " (expected: a product of at "
                    + "most " + MAX_REPEAT_PRODUCT + ")");
        }
        if (cost.programSize() > MAX_PROGRAM_SIZE) {
            return Optional.of("program size: " + cost.programSize() + " instructions (expected: at most "
                    + MAX_PROGRAM_SIZE + ")");
        }
        return Optional.empty();
    }

    /**
     * Compiles the expression.
     *
     * @throws PatternSyntaxException when it is not valid RE2 or exceeds a bound ({@link #excess})
     */
    public static Pattern compile(String regex) {
        Optional<String> excess = excess(regex);
        if (excess.isPresent()) {
            throw new PatternSyntaxException(excess.get(), quoted(regex));
        }
        return Pattern.compile(regex);
    }

    /** The expression for a message: its start only when it is long. */
    public static String quoted(String regex) {
        if (regex.length() <= QUOTED_LENGTH) {
            return regex;
        }
        return regex.substring(0, QUOTED_LENGTH) + "... (" + regex.length() + " characters)";
    }
}
