package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Istio durations use Go's {@code time.ParseDuration} syntax. */
class DurationParserTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "5s, 5000000000",
            "1.5s, 1500000000",
            "100ms, 100000000",
            "1h30m, 5400000000000",
            "1h2m3s4ms, 3723004000000",
            "1m30s, 90000000000",
            ".5s, 500000000",
            "1.s, 1000000000",
            "2us, 2000",
            "3µs, 3000",
            "3μs, 3000",
            "10ns, 10",
            "0, 0",
            "0s, 0",
            "+2s, 2000000000",
            "24h, 86400000000000"})
    void parsesGoDurations(String text, long nanos) {
        assertThat(DurationParser.parse(text)).contains(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\" is invalid")
    @ValueSource(strings = {"", "5", "s", "5 seconds", " 5s", "5s ", "-1s", "1d", "1.5.5s", "1e3s", "5S", "1h-30m",
            "9999999999999h", "0x10s"})
    void rejectsWhatGoRejects(String text) {
        assertThat(DurationParser.parse(text)).isEmpty();
    }
}
