/** Starts and stops the processes of a load test, drives the load generators and reads what the kernel counts. */
@NullMarked
package io.meshgate.loadtests.bench;

import org.jspecify.annotations.NullMarked;
