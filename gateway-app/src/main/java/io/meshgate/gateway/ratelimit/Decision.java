package io.meshgate.gateway.ratelimit;

import io.github.bucket4j.ConsumptionProbe;

/**
 * What a bucket said about one request.
 *
 * @param allowed whether it took a token
 * @param remaining the tokens left after it
 * @param nanosToReset until the bucket is full again
 * @param nanosToRetry until a token is there again (0 when allowed)
 */
record Decision(boolean allowed, long remaining, long nanosToReset, long nanosToRetry) {

    static Decision of(ConsumptionProbe probe) {
        return new Decision(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForReset(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
    }
}
