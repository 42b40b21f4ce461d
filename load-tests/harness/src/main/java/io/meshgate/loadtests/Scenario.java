package io.meshgate.loadtests;

import io.meshgate.loadtests.report.Section;

/**
 * One scenario of the load tests: it measures with the context's processes and load generators and fills its
 * section of the report, or says why it cannot run here.
 */
interface Scenario {

    String id();

    String title();

    /** About how long it runs with this profile, for the progress line's estimate. */
    double plannedSeconds(Profile profile);

    void run(Context ctx, Section section) throws Exception;
}
