package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

/**
 * Which CPUs (taskset lists) the load generator, the backend and the proxy under test run on. Every proxy gets the
 * same CPUs, one at a time, so each has the same budget; the load generator and the backend stay off them.
 */
public record CpuLayout(String loadGenerator, String backend, String proxy) {

    public CpuLayout {
        requireNonNull(loadGenerator, "loadGenerator");
        requireNonNull(backend, "backend");
        requireNonNull(proxy, "proxy");
    }

    /**
     * With four CPUs or more, one each (the proxy on CPU 1, the backend on 2, the load generator on 3); with two or
     * three, the load generator and the backend share CPU 0 and the proxy has CPU 1 alone; with one, all share it.
     */
    public static CpuLayout forCpus(int cpus) {
        if (cpus >= 4) {
            return new CpuLayout("3", "2", "1");
        }
        if (cpus >= 2) {
            return new CpuLayout("0", "0", "1");
        }
        return new CpuLayout("0", "0", "0");
    }

    /** {@code LOADGEN:BACKEND:PROXY}, each a taskset CPU list such as {@code 0} or {@code 2-3}. */
    public static CpuLayout parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--cpus: " + text + " (expected: LOADGEN:BACKEND:PROXY, e.g. 0:0:1)");
        }
        return new CpuLayout(parts[0], parts[1], parts[2]);
    }

    /** How many CPUs a taskset list names ({@code 0}, {@code 0,2}, {@code 2-3}). */
    public static int count(String list) {
        int count = 0;
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            count += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return count;
    }

    public String describe() {
        return "load generator on CPU " + loadGenerator + ", backend on CPU " + backend
                + ", the proxy under test alone on CPU " + proxy + " (taskset; every proxy gets the same CPUs)";
    }
}
