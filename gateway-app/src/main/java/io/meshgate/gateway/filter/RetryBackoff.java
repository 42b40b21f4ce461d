package io.meshgate.gateway.filter;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's fully jittered exponential back-off between the tries of one request: retry {@code n} waits a uniformly
 * random time in {@code [0, base * 2^(n-1))}, the interval capped at ten times the base (Envoy's default
 * {@code max_interval}, which Istio leaves unset). Jitter spreads the retries of requests that failed together.
 * One instance per request; not shared between threads at the same time.
 */
final class RetryBackoff {

    private final long maxMillis;
    private long nextMillis;

    /** A back-off starting at {@code base}, at least 1 ms as in Envoy. */
    RetryBackoff(Duration base) {
        this.nextMillis = Math.max(1, base.toMillis());
        this.maxMillis = nextMillis * 10;
    }

    /** The wait before the next retry. */
    Duration next() {
        long interval = nextMillis;
        nextMillis = nextMillis < maxMillis / 2 ? nextMillis * 2 : maxMillis;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(interval));
    }
}
