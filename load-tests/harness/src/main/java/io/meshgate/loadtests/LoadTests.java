package io.meshgate.loadtests;

import java.util.List;

/** {@code load-tests/run.sh}'s entry point: see {@link Options#USAGE}. */
public final class LoadTests {

    private LoadTests() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(Options.USAGE);
            return;
        }
        try {
            Options options = Options.parse(List.of(args));
            if (options.planOnly()) {
                System.out.println(options.profile().name() + " run of " + String.join(", ", options.scenarios())
                        + ": about " + ReportWriter.minutes(Harness.plannedSeconds(options.profile(),
                                Harness.scenarios(options))) + " once built");
                return;
            }
            new Harness(options, System.err, true).run();
        } catch (IllegalArgumentException e) {
            System.err.println("load-tests: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("load-tests: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }
}
