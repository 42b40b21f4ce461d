package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.runner.DirectoryStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The config poller compares files by size, times and identity, and reads a file only when those changed or it
 * was modified within the recent change window: a large file that stays as it is costs one stat per poll, not a
 * read; an edit that keeps the size and sets the modification time back is still seen.
 */
class ConfigPollCostTest {

    private static final int BIG = 20 * 1024 * 1024;

    @TempDir
    Path config;

    @Test
    void anUnchangedLargeFileIsNotReadAgainAtEveryPoll() throws Exception {
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.everythingTo("nowhere"));
        Files.write(config.resolve("big.yaml"), ("# padding\n".repeat(BIG / 10)).getBytes(StandardCharsets.UTF_8));
        try (GatewayHarness gateway = new GatewayHarness(config, "--gateway.poll-interval=50ms",
                "--gateway.config-watch.recent-change-window=100ms")) {
            // past the recent change window the file is only stat'ed
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> gateway.runner()
                    .directoryStatus().orElseThrow().condition() == DirectoryStatus.Condition.CURRENT);
            long before = bytesRead();
            long generation = gateway.runner().current().generation();
            // the measurement window, about 40 polls: reading the file at each would read 800 MiB
            Thread.sleep(2000);

            assertThat(bytesRead() - before).isLessThan(BIG);
            assertThat(gateway.runner().current().generation()).isEqualTo(generation);
        }
    }

    @Test
    void anEditThatKeepsTheSizeAndSetsTheModificationTimeBackIsApplied() throws Exception {
        try (TestBackend v1 = new TestBackend("v1"); TestBackend v2 = new TestBackend("v2")) {
            GatewayHarness.write(config, "gateway.yaml", GatewayHarness.everythingTo("svc-a"));
            Path services = config.resolve("services.yaml");
            Files.writeString(services, GatewayHarness.serviceEntry("svc-a", Map.of("v1", v1.port()))
                    + "---\n" + GatewayHarness.serviceEntry("svc-b", Map.of("v1", v2.port())));
            FileTime modified = Files.getLastModifiedTime(services);
            try (GatewayHarness gateway = new GatewayHarness(config, "--gateway.poll-interval=50ms",
                    "--gateway.config-watch.recent-change-window=100ms")) {
                assertThat(backend(gateway)).isEqualTo("v1");
                // out of the recent change window, so that only the stat (the change time) can reveal the edit
                Thread.sleep(300);

                // the same length: the two ServiceEntries swap their endpoints (ports of equal length)
                String swapped = GatewayHarness.serviceEntry("svc-a", Map.of("v1", v2.port())) + "---\n"
                        + GatewayHarness.serviceEntry("svc-b", Map.of("v1", v1.port()));
                assertThat(String.valueOf(v1.port()).length()).isEqualTo(String.valueOf(v2.port()).length());
                Files.writeString(services, swapped);
                Files.setLastModifiedTime(services, modified);

                await().atMost(Duration.ofSeconds(5)).until(() -> "v2".equals(backend(gateway)));
            }
        }
    }

    private static String backend(GatewayHarness gateway) {
        return gateway.client("any.example.com").get().uri("/")
                .responseSingle((response, body) -> body.then(Mono.justOrEmpty(
                        response.responseHeaders().get("x-backend"))))
                .block(Duration.ofSeconds(10));
    }

    /** Bytes this process has read through read system calls (Linux: {@code rchar} of /proc/self/io). */
    private static long bytesRead() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("rchar:")) {
                return Long.parseLong(line.substring("rchar:".length()).trim());
            }
        }
        throw new IllegalStateException("no rchar in /proc/self/io");
    }
}
