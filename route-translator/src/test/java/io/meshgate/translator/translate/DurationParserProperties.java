package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The parser's one-pass reading of whole numbers agrees with Go's grammar read by regular expression. */
class DurationParserProperties {

    private static final String PART = "(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)";
    private static final Pattern WHOLE = Pattern.compile("\\+?(?:" + PART + ")+");
    private static final Pattern EACH = Pattern.compile(PART);

    @Property(tries = 3000)
    void agreesWithTheGrammar(@ForAll("durations") String text) {
        assertThat(DurationParser.parse(text)).isEqualTo(byGrammar(text));
    }

    @Provide
    Arbitrary<String> durations() {
        Arbitrary<String> part = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 99_999_999_999L).map(String::valueOf),
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(22),
                Arbitraries.of("1.5", ".5", "1.", "0", "00", "", "+", "-1", "1e3"))
                .flatMap(number -> Arbitraries.of("ns", "us", "µs", "μs", "ms", "s", "m", "h", "", "S", "d", " ")
                        .map(unit -> number + unit));
        return part.list().ofMinSize(1).ofMaxSize(4).flatMap(parts -> Arbitraries.of("", "+")
                .map(sign -> sign + String.join("", parts)));
    }

    private static Optional<Duration> byGrammar(String text) {
        if (text.equals("0") || text.equals("+0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher part = EACH.matcher(text);
        while (part.find()) {
            long per = switch (part.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(per)));
        }
        return nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(nanos.longValue()));
    }
}
