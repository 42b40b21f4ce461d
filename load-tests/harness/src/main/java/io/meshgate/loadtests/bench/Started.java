package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/** A process the harness started: stopped by its PID, never by its name. */
public record Started(String name, Process process, Path log) {

    public Started {
        requireNonNull(name, "name");
        requireNonNull(process, "process");
        requireNonNull(log, "log");
    }

    public long pid() {
        return process.pid();
    }
}
