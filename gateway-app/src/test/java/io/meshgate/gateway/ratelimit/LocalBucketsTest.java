package io.meshgate.gateway.ratelimit;

import static io.meshgate.gateway.ratelimit.Rules.rule;
import static io.meshgate.gateway.ratelimit.Rules.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.translator.ir.RateLimitSelector.Attribute;
import io.meshgate.translator.ir.RateLimitSelector.MatchType;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Local buckets: exact counts, one bucket per distinct value, and a bound on how many are kept. */
class LocalBucketsTest {

    @Test
    void aRuleLetsExactlyItsLimitThroughThenRefuses() {
        LocalBuckets buckets = new LocalBuckets(100);
        RuleBuckets rule = new RuleBuckets(rule("r", false, 5, Duration.ofHours(1)));

        for (int i = 0; i < 5; i++) {
            Decision decision = buckets.consume(rule, "");
            assertThat(decision.allowed()).isTrue();
            assertThat(decision.remaining()).isEqualTo(4 - i);
        }
        Decision refused = buckets.consume(rule, "");

        assertThat(refused.allowed()).isFalse();
        // one token every 12 minutes
        assertThat(refused.nanosToRetry()).isBetween(Duration.ofMinutes(11).toNanos(), Duration.ofMinutes(12).toNanos());
    }

    @Test
    void eachDistinctValueHasItsOwnBucket() {
        LocalBuckets buckets = new LocalBuckets(100);
        RuleBuckets rule = new RuleBuckets(rule("r", false, 1, Duration.ofHours(1),
                selector(Attribute.HEADER, MatchType.DISTINCT, "x-user")));

        assertThat(buckets.consume(rule, "alice\n").allowed()).isTrue();
        assertThat(buckets.consume(rule, "bob\n").allowed()).isTrue();
        assertThat(buckets.consume(rule, "alice\n").allowed()).isFalse();
    }

    @Test
    void aHundredThousandRandomClientAddressesKeepAtMostTheBoundOfBuckets() {
        int bound = 10_000;
        LocalBuckets buckets = new LocalBuckets(bound);
        RuleBuckets rule = new RuleBuckets(rule("r", false, 10, Duration.ofMinutes(1),
                selector(Attribute.SOURCE_CIDR, MatchType.DISTINCT, "", "0.0.0.0/0")));
        SplittableRandom random = new SplittableRandom(7);

        for (int i = 0; i < 100_000; i++) {
            int ip = random.nextInt();
            String key = (ip >>> 24) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 8) & 0xff) + "." + (ip & 0xff) + "\n";
            assertThat(buckets.consume(rule, key).allowed()).isTrue();
        }

        assertThat(buckets.size()).isLessThanOrEqualTo(bound);
    }

    @Test
    void aBucketUnusedUntilFullAgainIsForgotten() {
        LocalBuckets buckets = new LocalBuckets(100);
        // 1,000 per 100 ms: full again 100 ms after use; forgotten after the 1 s minimum
        RuleBuckets rule = new RuleBuckets(rule("r", false, 1000, Duration.ofMillis(100),
                selector(Attribute.HEADER, MatchType.DISTINCT, "x-user")));
        long used = System.nanoTime();
        buckets.consume(rule, "alice\n");
        assertThat(buckets.size()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> buckets.size() == 0);

        assertThat(Duration.ofNanos(System.nanoTime() - used)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
}
