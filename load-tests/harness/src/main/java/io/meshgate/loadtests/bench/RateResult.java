package io.meshgate.loadtests.bench;

/**
 * One fixed-rate run: the rate asked for and the rate achieved (requests answered per second of the measured
 * time), latency percentiles in milliseconds over every answered request, the requests and the errors (no answer,
 * or an answer other than 2xx and 3xx).
 */
public record RateResult(int targetRps, double achievedRps, double p50, double p99, double p999, long requests,
        long errors) {

    public static RateResult failed(int targetRps) {
        return new RateResult(targetRps, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0);
    }

    public boolean ok() {
        return requests > 0;
    }

    /** Whether the generator kept up: at least 98 % of the rate asked for. */
    public boolean rateHeld() {
        return achievedRps >= 0.98 * targetRps;
    }
}
