package io.meshgate.translator.match;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The path normalization of {@link PathNormalization}, as Envoy does it: {@code PathUtil::canonicalPath} runs
 * Chromium's {@code url::CanonicalizePath} over the path (the query is split off first and appended back), then
 * {@code PathTransformer::mergeSlashes}; escaped slashes are decoded first as
 * {@code path_with_escaped_slashes_action: UNESCAPE_AND_FORWARD} does. Chromium's canonicalizer, step by step:
 * <ul>
 *   <li>a path that does not start with a slash gets one; an empty path is {@code /};
 *   <li>{@code .} and {@code ..} segments are removed as RFC 3986 §5.2.4 says, {@code %2e} counting as a dot, and a
 *       {@code ..} above the root stays at the root ({@code /../a} is {@code /a});
 *   <li>{@code \} is a slash;
 *   <li>an escape of an unreserved character ({@code ALPHA DIGIT - . _ ~}) is decoded, any other valid escape is
 *       kept; {@code %00} (and a raw NUL) makes the path invalid;
 *   <li>a {@code %} that starts no valid escape is kept as it is, unless what follows it in the output would make it
 *       one ({@code %%30%30}), when it becomes {@code %25}: no escape appears that the client did not send;
 *   <li>characters a URL may not hold raw (controls, space, {@code " < > ^ ` { | }}, DEL, non-ASCII) are escaped.
 * </ul>
 * One difference from Chromium, which keeps the client's case: the hex digits of kept escapes are written in upper
 * case (RFC 3986 §6.2.2.1), so equivalent paths compare equal. Characters up to U+00FF stand for the byte of the same
 * value (HTTP servers read request targets as ISO-8859-1); others are escaped as their UTF-8 bytes.
 */
final class PathNormalizer {

    private static final byte PASS = 0;
    private static final byte ESCAPE = 1;
    private static final byte SPECIAL = 2;
    private static final byte INVALID = 3;
    /** What a raw ASCII character needs in a canonical path; '.' and '/' are looked at separately. */
    private static final byte[] RAW = new byte[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (int c = 1; c < 0x20; c++) {
            RAW[c] = ESCAPE;
        }
        for (char c : " \"#<>?^`{|}\u007f".toCharArray()) {
            RAW[c] = ESCAPE;
        }
        RAW['%'] = SPECIAL;
        RAW['\\'] = SPECIAL;
        RAW[0] = INVALID;
    }

    private PathNormalizer() {
    }

    static @Nullable String normalize(String target, PathNormalization mode) {
        if (mode == PathNormalization.NONE || "*".equals(target)) {
            return withoutFragment(target, 0);
        }
        int normalEnd = normalPathEnd(target, mode != PathNormalization.BASE);
        if (normalEnd >= 0) {
            return withoutFragment(target, normalEnd);
        }
        int end = pathEnd(target);
        int queryEnd = target.indexOf('#', end);
        if (queryEnd < 0) {
            queryEnd = target.length();
        }
        String path = target.substring(0, end);
        if (mode == PathNormalization.DECODE_AND_MERGE_SLASHES) {
            path = decodeSlashes(path);
        }
        StringBuilder out = new StringBuilder(path.length() + 8);
        if (!canonicalize(path, out)) {
            return null;
        }
        if (mode != PathNormalization.BASE) {
            mergeSlashes(out);
        }
        return out.append(target, end, queryEnd).toString();
    }

    /** The target without its fragment, the same instance when it has none; the fragment starts after {@code from}. */
    private static String withoutFragment(String target, int from) {
        int fragment = target.indexOf('#', from);
        return fragment < 0 ? target : target.substring(0, fragment);
    }

    /** Where the path ends: at the first {@code ?} or {@code #}. */
    private static int pathEnd(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
        }
        return target.length();
    }

    /**
     * The common case in one scan: where the path ends (at {@code ?}, {@code #} or the end) when every step would
     * leave it as it is, or -1 when it needs work.
     */
    private static int normalPathEnd(String target, boolean merge) {
        int length = target.length();
        if (length == 0 || target.charAt(0) != '/') {
            return -1;
        }
        for (int i = 0; i < length; i++) {
            char c = target.charAt(i);
            if (c == '/') {
                if (i + 1 < length && (merge && target.charAt(i + 1) == '/' || isDotSegment(target, i + 1))) {
                    return -1;
                }
            } else if (c == '?' || c == '#') {
                return i;
            } else if (c >= 0x80 || RAW[c] != PASS) {
                return -1;
            }
        }
        return length;
    }

    /** Whether a {@code .} or {@code ..} segment (unescaped) starts at {@code i}. */
    private static boolean isDotSegment(String target, int i) {
        if (target.charAt(i) != '.') {
            return false;
        }
        int j = i + 1;
        if (j < target.length() && target.charAt(j) == '.') {
            j++;
        }
        if (j == target.length()) {
            return true;
        }
        char next = target.charAt(j);
        return next == '/' || next == '?' || next == '#';
    }

    /** {@code %2F %2f} to {@code /} and {@code %5C %5c} to {@code \}, as Envoy's {@code UNESCAPE_AND_FORWARD}. */
    private static String decodeSlashes(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length()) {
                char hi = path.charAt(i + 1);
                char lo = Character.toUpperCase(path.charAt(i + 2));
                if (hi == '2' && lo == 'F' || hi == '5' && lo == 'C') {
                    out.append(hi == '2' ? '/' : '\\');
                    i += 2;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Chromium's {@code DoPath}: writes the canonical path to {@code out}; false when the path is invalid. */
    private static boolean canonicalize(String path, StringBuilder out) {
        if (path.isEmpty() || !isSlash(path.charAt(0))) {
            out.append('/');
        }
        int invalidPercent = -1;
        int end = path.length();
        for (int i = 0; i < end; i++) {
            char c = path.charAt(i);
            int dot = dotLength(path, i, end);
            if (dot > 0) {
                i = dot(path, i, dot, out) - 1;
                if (invalidPercent >= out.length()) {
                    // removed with the segment that held it
                    invalidPercent = -1;
                }
                continue;
            }
            if (c == '\\') {
                out.append('/');
            } else if (c == '%') {
                int value = escaped(path, i, end);
                if (value < 0) {
                    invalidPercent = out.length();
                    out.append('%');
                    continue;
                }
                if (value == 0) {
                    return false;
                }
                if (isUnreserved(value)) {
                    out.append((char) value);
                } else {
                    appendEscaped(value, out);
                }
                i += 2;
            } else if (c == 0) {
                return false;
            } else if (c >= 0x80) {
                appendNonAscii(path, i, out);
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(path.charAt(i + 1))) {
                    i++;
                }
            } else if (RAW[c] == ESCAPE) {
                appendEscaped(c, out);
            } else {
                out.append(c);
            }
            invalidPercent = guardInvalidPercent(out, invalidPercent);
        }
        return true;
    }

    /**
     * Handles the dot (of {@code dotLength} input characters) at {@code i}: a {@code .} or {@code ..} segment is
     * resolved, any other dot is copied. Chromium's {@code ClassifyAfterDot}. Returns the next input index.
     */
    private static int dot(String path, int i, int dotLength, StringBuilder out) {
        int end = path.length();
        int after = i + dotLength;
        if (out.charAt(out.length() - 1) != '/') {
            out.append('.');
            return after;
        }
        if (after == end) {
            return after;
        }
        if (isSlash(path.charAt(after))) {
            return after + 1;
        }
        int second = dotLength(path, after, end);
        if (second > 0) {
            int afterSecond = after + second;
            if (afterSecond == end || isSlash(path.charAt(afterSecond))) {
                backUpToPreviousSlash(out);
                return afterSecond == end ? afterSecond : afterSecond + 1;
            }
        }
        out.append('.');
        return after;
    }

    /** Removes the last segment of the output, which ends with a slash; at the root it stays at the root. */
    private static void backUpToPreviousSlash(StringBuilder out) {
        int i = out.length() - 1;
        if (i == 0) {
            return;
        }
        i--;
        while (i > 0 && out.charAt(i) != '/') {
            i--;
        }
        out.setLength(i + 1);
    }

    /**
     * A {@code %} kept because it started no valid escape must not start one in the output either: when the two
     * characters written after it are hex digits, it becomes {@code %25}. Returns the position still to watch.
     */
    private static int guardInvalidPercent(StringBuilder out, int invalidPercent) {
        if (invalidPercent < 0 || out.length() - invalidPercent < 3) {
            return invalidPercent;
        }
        if (out.length() - invalidPercent == 3 && hex(out.charAt(invalidPercent + 1)) >= 0
                && hex(out.charAt(invalidPercent + 2)) >= 0) {
            out.insert(invalidPercent + 1, "25");
        }
        return -1;
    }

    /** The number of input characters of a dot at {@code i}: 1 for {@code .}, 3 for {@code %2e}, else 0. */
    private static int dotLength(String path, int i, int end) {
        char c = path.charAt(i);
        if (c == '.') {
            return 1;
        }
        if (c == '%' && i + 2 < end && path.charAt(i + 1) == '2'
                && (path.charAt(i + 2) == 'e' || path.charAt(i + 2) == 'E')) {
            return 3;
        }
        return 0;
    }

    /** The byte escaped at {@code i} ({@code %HH}), or -1 when no valid escape starts there. */
    private static int escaped(String path, int i, int end) {
        if (i + 2 >= end) {
            return -1;
        }
        int hi = hex(path.charAt(i + 1));
        int lo = hex(path.charAt(i + 2));
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                || c == '~';
    }

    private static boolean isSlash(char c) {
        return c == '/' || c == '\\';
    }

    private static void appendEscaped(int b, StringBuilder out) {
        out.append('%').append(HEX[b >> 4 & 0xF]).append(HEX[b & 0xF]);
    }

    private static void appendNonAscii(String path, int i, StringBuilder out) {
        char c = path.charAt(i);
        if (c <= 0xFF) {
            appendEscaped(c, out);
            return;
        }
        int codePoint = path.codePointAt(i);
        for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
            appendEscaped(b & 0xFF, out);
        }
    }

    /** Envoy's {@code mergeSlashes}: every run of slashes becomes one. */
    private static void mergeSlashes(StringBuilder out) {
        int write = 0;
        for (int read = 0; read < out.length(); read++) {
            char c = out.charAt(read);
            if (c == '/' && write > 0 && out.charAt(write - 1) == '/') {
                continue;
            }
            out.setCharAt(write++, c);
        }
        out.setLength(write);
    }
}
