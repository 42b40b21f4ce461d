/** The report: markdown tables, checks against the targets, and SVG charts written without a library. */
@NullMarked
package io.meshgate.loadtests.report;

import org.jspecify.annotations.NullMarked;
