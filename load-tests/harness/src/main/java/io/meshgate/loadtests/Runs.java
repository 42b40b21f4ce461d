package io.meshgate.loadtests;

/**
 * How a set of targets is measured: {@code rounds} rounds visiting every target in turn, each visit a warm-up of
 * {@code warmup} seconds (discarded) and a measured run of {@code seconds}.
 */
public record Runs(int rounds, int warmup, int seconds) {

    public Runs {
        if (rounds < 1 || warmup < 0 || seconds < 1) {
            throw new IllegalArgumentException("runs: " + rounds + " rounds, " + warmup + " s warm-up, " + seconds
                    + " s (expected: at least 1 round of at least 1 s)");
        }
    }

    /** Seconds the runs take for {@code targets} targets, tools' start-up aside. */
    public double plannedSeconds(int targets) {
        return (double) rounds * targets * (warmup + seconds + 0.3);
    }
}
