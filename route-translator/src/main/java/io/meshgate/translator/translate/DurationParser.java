package io.meshgate.translator.translate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Istio durations, which accept Go's {@code time.ParseDuration} syntax ({@code 5s}, {@code 1.5s},
 * {@code 100ms}, {@code 1h30m}, {@code 0}). Negative durations, which no Istio field accepts, and durations beyond
 * Go's limit (about 292 years) are invalid. Whole numbers, what configurations nearly always hold, are read in one
 * pass over the text; fractions are summed exactly before truncating to nanoseconds, as Go does.
 */
final class DurationParser {

    private static final String PART = "(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)";
    private static final Pattern WHOLE = Pattern.compile("\\+?(?:" + PART + ")+");
    private static final Pattern EACH = Pattern.compile(PART);
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
    /** The answer of {@link #wholeNumbers} for text it leaves to the exact parser. */
    private static final long NOT_WHOLE = -1;
    private static final long TOO_LONG = -2;

    private DurationParser() {
    }

    static Optional<Duration> parse(String text) {
        if (text.equals("0") || text.equals("+0")) {
            return Optional.of(Duration.ZERO);
        }
        long nanos = wholeNumbers(text);
        if (nanos == TOO_LONG) {
            return Optional.empty();
        }
        return nanos == NOT_WHOLE ? exact(text) : Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * The nanoseconds of text made of whole numbers with units only ({@code 1h30m}), {@link #TOO_LONG} beyond the
     * limit, or {@link #NOT_WHOLE} for anything else, valid or not.
     */
    private static long wholeNumbers(String text) {
        int i = text.startsWith("+") ? 1 : 0;
        if (i == text.length()) {
            return NOT_WHOLE;
        }
        long total = 0;
        boolean overflow = false;
        while (i < text.length()) {
            int start = i;
            long value = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                int digit = text.charAt(i) - '0';
                overflow |= value > (Long.MAX_VALUE - digit) / 10;
                value = value * 10 + digit;
                i++;
            }
            int unitLength = unitLength(text, i);
            if (i == start || unitLength == 0) {
                return NOT_WHOLE;
            }
            long per = nanosPer(text.substring(i, i + unitLength));
            i += unitLength;
            overflow |= value > (Long.MAX_VALUE - total) / per;
            if (!overflow) {
                total += value * per;
            }
        }
        return overflow ? TOO_LONG : total;
    }

    /** The length of the unit at {@code i}, in the order the pattern tries them, or 0 when there is none. */
    private static int unitLength(String text, int i) {
        if (i >= text.length()) {
            return 0;
        }
        if (i + 1 < text.length() && text.charAt(i + 1) == 's' && "nuµμm".indexOf(text.charAt(i)) >= 0) {
            return 2;
        }
        return "smh".indexOf(text.charAt(i)) >= 0 ? 1 : 0;
    }

    private static Optional<Duration> exact(String text) {
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = EACH.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(nanosPer(part.group(2)))));
        }
        if (nanos.compareTo(MAX_NANOS) > 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
