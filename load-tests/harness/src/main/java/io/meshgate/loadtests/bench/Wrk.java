package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * wrk, the closed-loop load generator: as many requests as {@code connections} keep-alive connections carry, for
 * the most a target serves. Pinned to the load generator's CPUs, one thread per CPU; every run bounded in time.
 */
public final class Wrk {

    private final String cpus;
    private final int connections;

    public Wrk(String cpus, int connections) {
        this.cpus = requireNonNull(cpus, "cpus");
        this.connections = connections;
    }

    public int connections() {
        return connections;
    }

    /** Runs wrk against the target for {@code seconds}, its output in {@code output}. */
    public WrkResult run(Target target, int seconds, Path output) throws IOException, InterruptedException {
        int exit = Tool.run(cpus, command(target, seconds), output, seconds + 30L);
        return exit < 0 ? WrkResult.failed() : WrkResult.parse(output);
    }

    /** Starts wrk for at most {@code maxSeconds}; {@link #stop} ends it early and reads its result. */
    public Process start(Target target, int maxSeconds, Path output) throws IOException {
        return Tool.start(cpus, command(target, maxSeconds), output);
    }

    /** Stops a wrk started with {@link #start} by its PID (SIGINT: wrk prints its result and exits). */
    public WrkResult stop(Process wrk, Path output) throws IOException, InterruptedException {
        if (wrk.isAlive()) {
            new ProcessBuilder("kill", "-INT", Long.toString(wrk.pid())).start().waitFor(5, TimeUnit.SECONDS);
        }
        if (!wrk.waitFor(15, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            return WrkResult.failed();
        }
        return WrkResult.parse(output);
    }

    private List<String> command(Target target, int seconds) {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + CpuLayout.count(cpus), "-c" + connections,
                "-d" + seconds + "s", "--timeout", "5s", "--latency"));
        for (String header : target.headers()) {
            command.add("-H");
            command.add(header);
        }
        command.add(target.url());
        return command;
    }
}
