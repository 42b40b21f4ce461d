package io.meshgate.loadtests.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes a running gateway's config as a user does in file mode, by replacing the file it watches, and waits for
 * the gateway to say (on {@code /actuator/gatewayconfig}) that it applied it.
 */
public final class GatewayControl {

    private static final Pattern GENERATION = Pattern.compile("\"generation\":(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("\"errors\":(\\d+)");

    private final Path dir;
    private final int managementPort;

    public GatewayControl(Path dir, int managementPort) {
        this.dir = requireNonNull(dir, "dir");
        this.managementPort = managementPort;
    }

    /** Writes the config before the gateway starts. */
    public void initial(String yaml) throws IOException {
        Files.createDirectories(dir);
        write(yaml);
    }

    /**
     * Replaces the config (atomically: the gateway never reads half a file) and waits until the gateway has
     * applied it; returns the milliseconds from the write to the gateway reporting the new generation.
     */
    public long apply(String yaml, Duration timeout) throws IOException {
        Path file = dir.resolve("bench.yaml");
        if (Files.exists(file) && Files.readString(file).equals(yaml)) {
            return 0;
        }
        long before = generation();
        long start = System.nanoTime();
        write(yaml);
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (generation() > before) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                String config = Http.body(url());
                Matcher errors = ERRORS.matcher(config == null ? "" : config);
                if (errors.find() && !errors.group(1).equals("0")) {
                    throw new IllegalStateException("the gateway applied the benchmark config with "
                            + errors.group(1) + " error(s): " + config);
                }
                return millis;
            }
            Sleep.millis(10);
        }
        throw new IllegalStateException("the gateway did not apply its new config within " + timeout.toSeconds()
                + " s (" + url() + ")");
    }

    /** The generation of the config the gateway serves, or -1 if it does not answer. */
    public long generation() {
        String config = Http.body(url());
        Matcher m = GENERATION.matcher(config == null ? "" : config);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The network transport of the gateway's event loops, from their thread names ({@code reactor-http-epoll-1},
     * {@code reactor-http-nio-1}; the kernel keeps 15 characters of them): epoll, NIO or io_uring.
     */
    public static String transport(long pid) {
        List<String> threads = ProcStats.threadNames(pid);
        for (String[] kind : new String[][] {{"reactor-http-ep", "epoll"}, {"reactor-http-io", "io_uring"},
                {"reactor-http-ni", "NIO"}, {"reactor-http-kq", "kqueue"}}) {
            if (threads.stream().anyMatch(t -> t.startsWith(kind[0]))) {
                return kind[1];
            }
        }
        return "unknown";
    }

    /** The TLS provider the gateway logged at start (OPENSSL or JDK). */
    public static String tlsProvider(Path log) {
        try {
            Matcher m = Pattern.compile("TLS provider: (\\w+)").matcher(Files.readString(log));
            return m.find() ? m.group(1) : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void write(String yaml) throws IOException {
        // written beside the directory, then moved in: the gateway reads every file under its directory
        Path temp = Files.createTempFile(dir.getParent(), "bench", ".yaml");
        Files.writeString(temp, yaml);
        Files.move(temp, dir.resolve("bench.yaml"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String url() {
        return "http://127.0.0.1:" + managementPort + "/actuator/gatewayconfig";
    }
}
