package io.meshgate.loadtests.report;

import static java.util.Objects.requireNonNull;

/** One of the targets the issue of the load tests sets, with what this run measured and whether it is met. */
public record Check(String target, String measured, Verdict verdict) {

    /** Met, missed, or not measured in this run (scenario not run, skipped, or a target missing). */
    public enum Verdict {
        PASS("**PASS**"), FAIL("**FAIL**"), NOT_MEASURED("not measured");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        public static Verdict of(boolean pass) {
            return pass ? PASS : FAIL;
        }
    }

    public Check {
        requireNonNull(target, "target");
        requireNonNull(measured, "measured");
        requireNonNull(verdict, "verdict");
    }

    public static Check notMeasured(String target, String why) {
        return new Check(target, why, Verdict.NOT_MEASURED);
    }
}
