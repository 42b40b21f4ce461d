package io.meshgate.loadtests;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * How long everything runs. {@link #full()} is the run whose figures go into RESULTS.md (under 30 minutes);
 * {@link #quick()} a sanity pass of every scenario in under 3 minutes, whose figures are noise; {@link #smoke()}
 * the few seconds the harness's own test takes.
 *
 * @param jvmWarmup     at most this many seconds of load on each JVM (gateway, plain Spring Cloud Gateway) before
 *                      anything is measured: less once its requests/s are steady
 * @param throughput    scenario 1, per target
 * @param latency       scenario 2, per target and rate
 * @param routes        scenario 3, per target and table size
 * @param routeSizes    scenario 3's table sizes (rules; 10 rules per host)
 * @param tls           scenario 4, per target
 * @param steadySeconds scenario 5 (canary), and the load around scenario 6's changes
 * @param churnChanges  scenario 6's config changes
 * @param kill          scenario 7: warm-up, closed-loop and open-loop seconds, and the second of the kill
 * @param soak          scenario 8: total seconds and the length of each measured slice
 */
public record Profile(String name, int jvmWarmup, Runs throughput, Runs latency, Runs routes,
        List<Integer> routeSizes, Runs tls, int steadySeconds, int churnChanges, Kill kill, Soak soak) {

    /** Scenario 7's timing, as BackendKillBenchmark takes it. */
    public record Kill(int warmup, int closedLoop, int openLoop, int killAt) {
    }

    /** Scenario 8's timing. */
    public record Soak(int seconds, int slice) {
    }

    public Profile {
        requireNonNull(name, "name");
        routeSizes = List.copyOf(routeSizes);
    }

    public static Profile full() {
        return new Profile("full", 90, new Runs(3, 2, 6), new Runs(3, 1, 4), new Runs(3, 1, 4),
                List.of(10, 1_000, 10_000), new Runs(3, 1, 4), 10, 100, new Kill(10, 10, 30, 10),
                new Soak(600, 60));
    }

    public static Profile quick() {
        return new Profile("quick", 5, new Runs(1, 0, 2), new Runs(1, 1, 1), new Runs(1, 0, 2),
                List.of(10_000), new Runs(1, 0, 2), 3, 20, new Kill(2, 2, 6, 2), new Soak(6, 3));
    }

    public static Profile smoke() {
        return new Profile("smoke", 1, new Runs(1, 0, 1), new Runs(1, 1, 1), new Runs(1, 0, 1),
                List.of(10), new Runs(1, 0, 1), 2, 3, new Kill(1, 1, 4, 2), new Soak(2, 1));
    }

    public boolean isFull() {
        return name.equals("full");
    }
}
