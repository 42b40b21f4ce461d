package io.meshgate.loadtests.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end (bounded in time), its output in a file, optionally pinned to CPUs. */
public final class Tool {

    private Tool() {
    }

    /**
     * Runs {@code command} (with {@code taskset -c cpus} unless cpus is empty), writing stdout and stderr to
     * {@code output}; kills it after {@code timeoutSeconds}. Returns its exit code, or -1 if it was killed.
     */
    public static int run(String cpus, List<String> command, Path output, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process = start(cpus, command, output);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    /** Starts {@code command} as {@link #run} does, without waiting. */
    public static Process start(String cpus, List<String> command, Path output) throws IOException {
        List<String> full = new ArrayList<>();
        if (!cpus.isEmpty()) {
            full.addAll(List.of("taskset", "-c", cpus));
        }
        full.addAll(command);
        Files.createDirectories(output.toAbsolutePath().getParent());
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /** The output of a short command (a version, a path), or "" if it cannot run. */
    public static String output(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(20, TimeUnit.SECONDS);
            return text.trim();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The path of an executable on the PATH or in /usr/sbin and /sbin (where Debian puts nginx and haproxy). */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).findFirst();
    }
}
