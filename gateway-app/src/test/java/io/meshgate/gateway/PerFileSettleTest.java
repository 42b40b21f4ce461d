package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.runner.LiveConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each config file settles on its own: a file rewritten more often than the settle time (a log put in the
 * directory, a sync tool gone wrong) is left at its last applied version and never holds the other files' changes
 * back; files written together within the settle time still apply as one generation.
 */
class PerFileSettleTest {

    private static final String HEAD = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /}}]
            """;
    private static final String ROUTE_TO_V1 = "    route:\n    - destination: {host: shop-v1}\n";
    /** The first half of each rewrite: valid alone, a route to v2 without the header the whole file sets. */
    private static final String ROUTE_TO_V2 = "    route:\n    - destination: {host: shop-v2}\n";
    private static final String GENERATION_HEADER = "    headers: {response: {set: {x-generation: \"2\"}}}\n";

    @TempDir
    Path config;
    private TestBackend v1;
    private TestBackend v2;
    private TestBackend v3;
    private GatewayHarness gateway;

    @BeforeEach
    void backends() {
        v1 = new TestBackend("shop-v1");
        v2 = new TestBackend("shop-v2");
        v3 = new TestBackend("shop-v3");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "services.yaml", GatewayHarness.serviceEntry("shop-v1",
                Map.of("v1", v1.port())) + "---\n" + GatewayHarness.serviceEntry("shop-v2", Map.of("v1", v2.port())));
        GatewayHarness.write(config, "route.yaml", HEAD + ROUTE_TO_V1);
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        v1.close();
        v2.close();
        v3.close();
    }

    @Test
    void aFileRewrittenEvery100msNeitherBlocksAnotherFilesChangeNorServesHalfOfItself() throws Exception {
        gateway = new GatewayHarness(config, "--gateway.poll-interval=100ms",
                "--gateway.config-watch.file-settle-time=500ms", "--gateway.config-watch.file-settle-limit=1500ms");
        Traffic traffic = new Traffic(gateway.client("api.mystore.com"), "/", r -> {
            if (r.status().code() != 200) {
                return "status " + r.status().code();
            }
            boolean toV2 = "shop-v2".equals(r.responseHeaders().get("x-backend"));
            return toV2 && !"2".equals(r.responseHeaders().get("x-generation")) ? "half of route.yaml applied" : "";
        });
        try (traffic; Churn churn = new Churn(config.resolve("route.yaml"))) {
            // the real change, renamed into place while route.yaml keeps changing
            long written = System.nanoTime();
            gateway.write("other.yaml", GatewayHarness.shopRouteTo("shop-v2").replace("name: shop,", "name: other,")
                    .replace("api.mystore.com", "other.mystore.com"));
            await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v2".equals(backend("other.mystore.com")));
            assertThat(Duration.ofNanos(System.nanoTime() - written)).isLessThan(Duration.ofSeconds(4));

            // the churning file contributes its last applied version, and is reported once
            assertThat(churn.running()).isTrue();
            assertThat(backend("api.mystore.com")).isEqualTo("shop-v1");
            assertThat(gateway.actuatorConfig()).containsPattern("\"unsettled\":\\[\"[^\"]*route\\.yaml\"]");
            assertThat(gateway.prometheus()).containsPattern(
                    "meshgate_config_reload_failures_total\\{reason=\"file_unsettled\"[^}]*} 1\\.0");
            churn.close();
            // once it stops changing, its whole content applies
            await().atMost(Duration.ofSeconds(5)).until(() -> "2".equals(gateway.responseHeader("api.mystore.com",
                    "/", "x-generation")));
            assertThat(churn.failures()).isEmpty();
            assertThat(traffic.answered()).isPositive();
            assertThat(traffic.stop()).isEmpty();
        }
        assertThat(gateway.actuatorConfig()).contains("\"unsettled\":[]");
    }

    @Test
    void twoFilesWrittenInPlaceWithinTheSettleTimeApplyAsOneGeneration() throws Exception {
        gateway = new GatewayHarness(config, "--gateway.poll-interval=50ms",
                "--gateway.config-watch.file-settle-time=500ms");
        ConcurrentLinkedQueue<LiveConfig> applied = new ConcurrentLinkedQueue<>();
        gateway.runner().subscribe(applied::add);
        // the route names a service only the new services.yaml defines: apart, the route would be rejected first
        writeInPlace(config.resolve("route.yaml"), HEAD + ROUTE_TO_V1.replace("shop-v1", "shop-v3"));
        // the pause between two files of one cp (part of the scenario): polls see the first file alone
        Thread.sleep(200);
        writeInPlace(config.resolve("services.yaml"), GatewayHarness.serviceEntry("shop-v1",
                Map.of("v1", v1.port())) + "---\n" + GatewayHarness.serviceEntry("shop-v3", Map.of("v1", v3.port())));

        await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v3".equals(backend("api.mystore.com")));
        assertThat(applied).hasSize(1);
        assertThat(gateway.runner().rejected()).isEmpty();
    }

    private String backend(String host) {
        return gateway.responseHeader(host, "/", "x-backend");
    }

    private static void writeInPlace(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Rewrites route.yaml in place every 100 ms, in two writes 10 ms apart (the first half alone routes to v2
     * without the header), bounded to 200 rewrites and 20 s.
     */
    private static final class Churn implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        Churn(Path file) {
            thread = new Thread(() -> {
                long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                for (int i = 0; i < 200 && running.get() && System.nanoTime() < end; i++) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                        write(channel, HEAD + ROUTE_TO_V2);
                        Thread.sleep(10);
                        write(channel, GENERATION_HEADER);
                        Thread.sleep(90);
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                running.set(false);
            }, "test-churn");
            thread.setDaemon(true);
            thread.start();
        }

        private static void write(FileChannel channel, String text) throws IOException {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        boolean running() {
            return running.get();
        }

        java.util.List<String> failures() {
            return java.util.List.copyOf(failures);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(Duration.ofSeconds(5).toMillis());
        }
    }
}
