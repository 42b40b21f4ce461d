package io.meshgate.gateway.ratelimit;

import static io.meshgate.gateway.ratelimit.Rules.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Global buckets in a real Redis: two clients (as two gateway replicas) share one budget exactly, a Redis that goes
 * away makes checks fail within the timeout, and one that comes back is used again without a restart.
 */
class GlobalBucketsTest {

    private static TestRedis redis;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    @Test
    void twoReplicasShareOneBudgetExactly() {
        RuleBuckets rule = new RuleBuckets(rule("shared", true, 100, Duration.ofHours(1)));
        try (GlobalBuckets first = connected(); GlobalBuckets second = connected()) {
            AtomicInteger allowed = new AtomicInteger();
            List<GlobalBuckets> replicas = List.of(first, second);
            // 300 concurrent requests, alternately through each replica, 16 at a time
            Flux.range(0, 300)
                    .flatMap(i -> replicas.get(i % 2).consume(rule, ""), 16)
                    .doOnNext(decision -> {
                        if (decision.allowed()) {
                            allowed.incrementAndGet();
                        }
                    })
                    .blockLast(Duration.ofSeconds(60));

            // 100 per hour: in the few seconds of the test at most one more token is refilled
            assertThat(allowed.get()).isBetween(100, 101);
        }
    }

    @Test
    void aRedisThatGoesAwayFailsChecksQuicklyAndOneThatComesBackIsUsedAgain() {
        RuleBuckets rule = new RuleBuckets(rule("outage", true, 1_000, Duration.ofHours(1)));
        try (GlobalBuckets buckets = connected()) {
            redis.stop();
            try {
                long start = System.nanoTime();
                List<Throwable> errors = new ArrayList<>();
                buckets.consume(rule, "").doOnError(errors::add).onErrorComplete().block(Duration.ofSeconds(5));
                assertThat(errors).hasSize(1);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            } finally {
                redis.start();
            }
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> buckets
                    .consume(rule, "").map(Decision::allowed).onErrorReturn(false).block(Duration.ofSeconds(5)));
        }
    }

    private static GlobalBuckets connected() {
        GlobalBuckets buckets = new GlobalBuckets(redis.uri(), Duration.ofSeconds(2), 1000);
        RuleBuckets probe = new RuleBuckets(rule("probe", true, 1_000_000, Duration.ofHours(1)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> buckets
                .consume(probe, "").map(Decision::allowed).onErrorReturn(false).block(Duration.ofSeconds(5)));
        return buckets;
    }
}
