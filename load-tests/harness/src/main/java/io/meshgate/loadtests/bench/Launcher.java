package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts processes pinned to CPUs, records their PIDs under {@code <work>/pids} and their output under
 * {@code <work>/logs}, and stops them by PID: SIGTERM, then SIGKILL if one is still alive after a grace period.
 * {@link #close()} stops whatever is still running, last started first; the harness also calls it from a shutdown
 * hook, so an interrupted run leaves nothing behind.
 */
public final class Launcher implements AutoCloseable {

    private static final long GRACE_SECONDS = 40;

    private final Path pids;
    private final Path logs;
    private final List<Started> started = Collections.synchronizedList(new ArrayList<>());

    public Launcher(Path work) {
        requireNonNull(work, "work");
        this.pids = work.resolve("pids");
        this.logs = work.resolve("logs");
        try {
            Files.createDirectories(pids);
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code command} with {@code taskset -c cpus}, its output appended to {@code <work>/logs/name.log}. */
    public Started start(String name, String cpus, List<String> command) throws IOException {
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus));
        pinned.addAll(command);
        Path log = logs.resolve(name + ".log");
        Process process = new ProcessBuilder(pinned)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Started handle = new Started(name, process, log);
        started.add(handle);
        Files.writeString(pids.resolve(name + ".pid"), process.pid() + "\n");
        return handle;
    }

    /** Stops one process by its PID and waits for it to be gone. */
    public void stop(Started handle) {
        started.remove(handle);
        Process process = handle.process();
        if (process.isAlive()) {
            // nginx's master stops its worker, haproxy -db exits, a JVM runs its shutdown hooks and drains
            process.destroy();
            try {
                if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pids.resolve(handle.name() + ".pid"));
        } catch (IOException e) {
            // the PID file only documents what runs
        }
    }

    @Override
    public void close() {
        List<Started> running;
        synchronized (started) {
            running = new ArrayList<>(started);
        }
        Collections.reverse(running);
        running.forEach(this::stop);
    }
}
