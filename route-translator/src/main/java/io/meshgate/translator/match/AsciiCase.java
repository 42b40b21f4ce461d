package io.meshgate.translator.match;

/**
 * ASCII-only case folding. Envoy's {@code ignore_case} string matching (absl's {@code EqualsIgnoreCase}) folds
 * ASCII letters only, and host names on the wire are ASCII (IDNA), so folding Unicode would both differ from Envoy
 * and cost more.
 */
final class AsciiCase {

    private AsciiCase() {
    }

    static char toLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    static String toLower(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (toLower(c) != c) {
                return lowerFrom(s, i);
            }
        }
        return s;
    }

    private static String lowerFrom(String s, int first) {
        StringBuilder lower = new StringBuilder(s.length()).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            lower.append(toLower(s.charAt(i)));
        }
        return lower.toString();
    }
}
