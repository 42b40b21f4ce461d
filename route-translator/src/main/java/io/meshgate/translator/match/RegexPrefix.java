package io.meshgate.translator.match;

/**
 * The literal text that every full match of an RE2 expression starts with, such as {@code /api/} for
 * {@code /api/v[0-9]+/.*}. It lets a regex route be indexed under that prefix instead of being evaluated for every
 * path of its virtual host. The analysis is deliberately shallow: whenever a construct could make the leading text
 * optional (a quantifier, a top-level {@code |}, {@code \Q} quoting), it answers a shorter prefix or "".
 */
final class RegexPrefix {

    private static final String METACHARACTERS = "\\.+*?()|[]{}^$";
    private static final String QUANTIFIERS = "*+?{";

    private RegexPrefix() {
    }

    static String of(String regex) {
        if (regex.contains("\\Q") || hasTopLevelAlternation(regex)) {
            return "";
        }
        int end = 0;
        while (end < regex.length() && isLiteral(regex.charAt(end))) {
            end++;
        }
        // "ab*" does not require the "b": a quantifier applies to the character before it.
        if (end > 0 && end < regex.length() && QUANTIFIERS.indexOf(regex.charAt(end)) >= 0) {
            end--;
        }
        return regex.substring(0, end);
    }

    private static boolean isLiteral(char c) {
        return c < 128 && METACHARACTERS.indexOf(c) < 0;
    }

    /** Whether a {@code |} outside any group splits the whole expression; unbalanced groups count as yes. */
    private static boolean hasTopLevelAlternation(String regex) {
        int depth = 0;
        for (int i = 0; i < regex.length() && depth >= 0; i++) {
            switch (regex.charAt(i)) {
                case '\\' -> i++;
                case '[' -> i = classEnd(regex, i);
                case '(' -> depth++;
                case ')' -> depth--;
                case '|' -> {
                    if (depth == 0) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return depth != 0;
    }

    /** The index of the {@code ]} that closes the character class opened at {@code open}. */
    private static int classEnd(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        while (i < regex.length() && regex.charAt(i) != ']') {
            if (regex.startsWith("[:", i)) {
                int close = regex.indexOf(":]", i + 2);
                i = close < 0 ? regex.length() : close + 1;
            } else if (regex.charAt(i) == '\\') {
                i++;
            }
            i++;
        }
        return i;
    }
}
