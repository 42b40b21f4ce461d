/** The load tests: the gateway measured side by side with its peers, scenario by scenario, into a report. */
@NullMarked
package io.meshgate.loadtests;

import org.jspecify.annotations.NullMarked;
