package io.meshgate.loadtests;

import io.meshgate.loadtests.bench.WrkResult;
import java.util.Map;

/**
 * One measured closed-loop run: wrk's figures, the CPU time the target's process spent per request, its resident
 * memory after the run, and how busy each CPU was during it.
 */
record Measured(int round, WrkResult wrk, double cpuMicrosPerRequest, long rssKib, Map<String, Double> busy) {

    Measured {
        busy = Map.copyOf(busy);
    }
}
