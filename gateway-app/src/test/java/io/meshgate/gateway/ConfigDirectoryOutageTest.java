package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.runner.DirectoryStatus;
import io.meshgate.gateway.runner.LiveConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config directory that is briefly empty, missing or unlistable keeps the last good configuration serving: the
 * listener stays open and routes keep answering while operators (or the kernel) get in the way; an emptied
 * directory applies only once it has stayed empty for the empty settle time.
 */
class ConfigDirectoryOutageTest {

    @TempDir
    Path root;
    private Path config;
    private TestBackend v1;
    private TestBackend v2;
    private GatewayHarness gateway;
    private final ConcurrentLinkedQueue<LiveConfig> withoutListeners = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void backends() throws IOException {
        v1 = new TestBackend("shop-v1");
        v2 = new TestBackend("shop-v2");
        config = Files.createDirectories(root.resolve("live"));
        writeConfig(config, "shop-v1");
    }

    private void start(String emptySettleTime) {
        gateway = new GatewayHarness(config, "--gateway.poll-interval=100ms",
                "--gateway.config-watch.file-settle-time=200ms",
                "--gateway.config-watch.empty-settle-time=" + emptySettleTime);
        gateway.runner().subscribe(c -> {
            if (c.snapshot().listeners().isEmpty()) {
                withoutListeners.add(c);
            }
        });
        assertThat(backend()).isEqualTo("shop-v1");
    }

    private void writeConfig(Path dir, String service) {
        GatewayHarness.write(dir, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(dir, "services.yaml", GatewayHarness.serviceEntry("shop-v1", Map.of("v1", v1.port()))
                + "---\n" + GatewayHarness.serviceEntry("shop-v2", Map.of("v1", v2.port())));
        GatewayHarness.write(dir, "route.yaml", GatewayHarness.shopRouteTo(service));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        v1.close();
        v2.close();
    }

    @Test
    void anEmptiedDirectoryRefilledASecondLaterKeepsServingThenAppliesTheNewFiles() throws Exception {
        start("10s");
        int port = gateway.port(80);
        Path staged = Files.createDirectories(root.resolve("new"));
        writeConfig(staged, "shop-v2");

        try (Traffic traffic = Traffic.expecting200(gateway.client("api.mystore.com"), "/")) {
            long removed = System.nanoTime();
            deleteYaml(config);                                                    // rm *.yaml
            await().atMost(Duration.ofSeconds(5)).until(() -> condition() == DirectoryStatus.Condition.EMPTY);
            assertThat(gateway.actuatorConfig()).contains("\"condition\":\"EMPTY\"", "\"appliesAt\"");
            // the operator's second between the two commands
            Thread.sleep(Math.max(0, 1000 - (System.nanoTime() - removed) / 1_000_000));
            for (String file : List.of("gateway.yaml", "services.yaml", "route.yaml")) {  // cp new/*.yaml .
                Files.copy(staged.resolve(file), config.resolve(file));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v2".equals(backend()));
            assertThat(traffic.answered()).isPositive();
            assertThat(traffic.stop()).isEmpty();
        }
        assertThat(withoutListeners).isEmpty();
        assertThat(gateway.port(80)).isEqualTo(port);
        assertThat(gateway.prometheus()).containsPattern(
                "meshgate_config_reload_failures_total\\{reason=\"directory_empty\"[^}]*} 1\\.0");
    }

    @Test
    void aDirectoryMovedAwayForASecondKeepsServing() throws Exception {
        start("10s");
        int port = gateway.port(80);
        Path away = root.resolve("away");

        try (Traffic traffic = Traffic.expecting200(gateway.client("api.mystore.com"), "/")) {
            Files.move(config, away);
            await().atMost(Duration.ofSeconds(5)).until(() -> condition() == DirectoryStatus.Condition.MISSING);
            assertThat(gateway.actuatorConfig()).contains("\"condition\":\"MISSING\"");
            assertThat(backend()).isEqualTo("shop-v1");
            Files.move(away, config);
            await().atMost(Duration.ofSeconds(5)).until(() -> condition() == DirectoryStatus.Condition.CURRENT);
            assertThat(backend()).isEqualTo("shop-v1");
            assertThat(traffic.answered()).isPositive();
            assertThat(traffic.stop()).isEmpty();
        }
        assertThat(withoutListeners).isEmpty();
        assertThat(gateway.port(80)).isEqualTo(port);
        assertThat(gateway.prometheus()).containsPattern(
                "meshgate_config_reload_failures_total\\{reason=\"directory_missing\"[^}]*} 1\\.0");
    }

    @Test
    void deletingEveryFileAppliesOnceTheDirectoryHasStayedEmptyForTheSettleTime() throws Exception {
        start("1500ms");
        long removed = System.nanoTime();
        deleteYaml(config);

        await().atMost(Duration.ofSeconds(10)).until(() -> !withoutListeners.isEmpty());
        long appliedAfterMillis = (System.nanoTime() - removed) / 1_000_000;
        assertThat(appliedAfterMillis).isGreaterThanOrEqualTo(1500);
        assertThat(gateway.runner().current().snapshot().listeners()).isEmpty();
    }

    private static void deleteYaml(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.delete(file);
            }
        }
    }

    private DirectoryStatus.Condition condition() {
        return gateway.runner().directoryStatus().orElseThrow().condition();
    }

    private String backend() {
        return gateway.responseHeader("api.mystore.com", "/", "x-backend");
    }
}
