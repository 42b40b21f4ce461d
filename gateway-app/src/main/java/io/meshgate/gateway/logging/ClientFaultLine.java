package io.meshgate.gateway.logging;

import org.jspecify.annotations.Nullable;

/**
 * One log line about a client's fault: the source, the message and the exception's class and message, on one line
 * of at most {@value #MAX_CHARS} characters, with every character outside printable ASCII escaped ({@code \n},
 * {@code \x1b}, {@code \u00e9}), so that no client byte can forge a line or a terminal sequence.
 */
final class ClientFaultLine {

    static final int MAX_CHARS = 200;

    private ClientFaultLine() {
    }

    static String of(String source, @Nullable String message, @Nullable Throwable error) {
        StringBuilder raw = new StringBuilder(source).append(": ").append(message == null ? "" : message);
        if (error != null) {
            raw.append(" (").append(error.getClass().getSimpleName());
            if (error.getMessage() != null) {
                raw.append(": ").append(error.getMessage());
            }
            raw.append(')');
        }
        return escapedAndTruncated(raw);
    }

    private static String escapedAndTruncated(CharSequence raw) {
        StringBuilder out = new StringBuilder(Math.min(raw.length(), MAX_CHARS) + 8);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            String piece = c >= 0x20 && c < 0x7f && c != '\\' ? String.valueOf(c) : escape(c);
            if (out.length() + piece.length() > MAX_CHARS - 3) {
                return out.append("...").toString();
            }
            out.append(piece);
        }
        return out.toString();
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
        };
    }
}
