package io.meshgate.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Envoy's fully jittered exponential back-off. */
class RetryBackoffTest {

    @Test
    void doublesTheIntervalUpToTenTimesTheBaseWithFullJitter() {
        long[] maxSeen = new long[6];
        long[] minSeen = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
            Long.MAX_VALUE};
        for (int run = 0; run < 2_000; run++) {
            RetryBackoff backoff = new RetryBackoff(Duration.ofMillis(25));
            for (int retry = 0; retry < 6; retry++) {
                long millis = backoff.next().toMillis();
                maxSeen[retry] = Math.max(maxSeen[retry], millis);
                minSeen[retry] = Math.min(minSeen[retry], millis);
            }
        }
        // intervals 25, 50, 100, 200, then capped at 250
        long[] intervals = {25, 50, 100, 200, 250, 250};
        for (int retry = 0; retry < 6; retry++) {
            assertThat(minSeen[retry]).isZero();
            assertThat(maxSeen[retry]).isLessThan(intervals[retry]).isGreaterThan(intervals[retry] * 8 / 10);
        }
    }

    @Test
    void baseBelowOneMillisecondCountsAsOne() {
        assertThat(new RetryBackoff(Duration.ZERO).next()).isEqualTo(Duration.ZERO);
    }
}
