package io.meshgate.translator.match;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.jspecify.annotations.Nullable;

/**
 * Reads one parameter straight from a raw query string such as {@code a=1&b=x%20y}, without building a map: the
 * matcher only needs the few parameters its candidate routes name. Names and values are percent-decoded as UTF-8
 * with {@code +} as a space; an escape that is not {@code %} and two hex digits is kept as written.
 */
final class QueryParams {

    private QueryParams() {
    }

    /** The decoded value of the first parameter called {@code name}, "" if it has no {@code =}, or null. */
    static @Nullable String firstValue(String query, String name) {
        int start = 0;
        while (start < query.length()) {
            int end = query.indexOf('&', start);
            end = end < 0 ? query.length() : end;
            int equals = query.indexOf('=', start);
            equals = equals < 0 || equals > end ? end : equals;
            if (end > start && nameEquals(query, start, equals, name)) {
                return equals == end ? "" : decode(query, equals + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    private static boolean nameEquals(String query, int from, int to, String name) {
        if (isPlain(query, from, to)) {
            return to - from == name.length() && query.regionMatches(from, name, 0, name.length());
        }
        return decode(query, from, to).equals(name);
    }

    private static String decode(String s, int from, int to) {
        if (isPlain(s, from, to)) {
            return s.substring(from, to);
        }
        StringBuilder decoded = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (isEscape(s, i, to)) {
                i = appendEscapes(s, i, to, decoded);
            } else {
                decoded.append(c == '+' ? ' ' : c);
                i++;
            }
        }
        return decoded.toString();
    }

    /** Decodes a run of escapes together, since one UTF-8 character can take several of them. */
    private static int appendEscapes(String s, int from, int to, StringBuilder decoded) {
        byte[] bytes = new byte[(to - from) / 3];
        int count = 0;
        int i = from;
        while (isEscape(s, i, to)) {
            bytes[count++] = (byte) (Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
            i += 3;
        }
        decoded.append(new String(bytes, 0, count, UTF_8));
        return i;
    }

    private static boolean isEscape(String s, int i, int to) {
        return i + 2 < to && s.charAt(i) == '%' && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2));
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isPlain(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '+') {
                return false;
            }
        }
        return true;
    }
}
