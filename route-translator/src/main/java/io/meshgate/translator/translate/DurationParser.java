package io.meshgate.translator.translate;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Istio durations, which accept Go's {@code time.ParseDuration} syntax ({@code 5s}, {@code 1.5s},
 * {@code 100ms}, {@code 1h30m}).
 */
final class DurationParser {

    private static final Pattern WHOLE = Pattern.compile("(\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private DurationParser() {
    }

    static Optional<Duration> parse(String text) {
        if (text.isEmpty() || !text.matches("(" + WHOLE.pattern() + ")+")) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(nanosPer(part.group(2)))));
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }

    private static long nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }
}
