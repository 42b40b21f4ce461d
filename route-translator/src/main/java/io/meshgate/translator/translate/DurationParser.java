package io.meshgate.translator.translate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Istio durations, which accept Go's {@code time.ParseDuration} syntax ({@code 5s}, {@code 1.5s},
 * {@code 100ms}, {@code 1h30m}, {@code 0}). Negative durations, which no Istio field accepts, and durations beyond
 * Go's limit (about 292 years) are invalid.
 */
final class DurationParser {

    private static final String PART = "(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)";
    private static final Pattern WHOLE = Pattern.compile("\\+?(?:" + PART + ")+");
    private static final Pattern EACH = Pattern.compile(PART);
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private DurationParser() {
    }

    static Optional<Duration> parse(String text) {
        if (text.equals("0") || text.equals("+0")) {
            return Optional.of(Duration.ZERO);
        }
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
