package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.runner.ConfigRunner;
import io.meshgate.gateway.runner.ConfigWatchProperties;
import io.meshgate.translator.translate.TranslatorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At startup a config file modified within the settle time may be being written (a replica restarted during a
 * deploy): the first configuration, which the listeners open with, waits for it to settle; a directory not
 * modified lately applies at once.
 */
class StartupSettleTest {

    private static final String FIRST_HALF = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /a}}]
                route:
                - destination: {host: shop-v1}
            """;
    private static final String SECOND_HALF = """
              - route:
                - destination: {host: shop-v2}
            """;

    @TempDir
    Path config;

    @Test
    void aFileBeingWrittenAtStartupIsAppliedWholeBeforeStartReturns() throws Exception {
        writeServices();
        ConfigWatchProperties watch = new ConfigWatchProperties(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        try (FileChannel file = FileChannel.open(config.resolve("route.yaml"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); ConfigRunner runner = runner(watch)) {
            write(file, FIRST_HALF);
            // the writer's second half comes 1.5 s later (the scenario): the first polls see the half file
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> write(file, SECOND_HALF),
                    CompletableFuture.delayedExecutor(1500, TimeUnit.MILLISECONDS));
            long started = System.nanoTime();
            runner.start(Duration.ofMillis(50));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            rest.get(5, TimeUnit.SECONDS);

            // the half file has the first rule only
            assertThat(routes(runner)).isEqualTo(2);
            assertThat(runner.current().generation()).isEqualTo(1);
            // the second half, then the settle time, within the settle limit
            assertThat(tookMillis).isGreaterThanOrEqualTo(3500).isLessThan(8000);
        }
    }

    @Test
    void aDirectoryNotModifiedWithinTheSettleTimeAppliesAtOnce() throws Exception {
        writeServices();
        GatewayHarness.write(config, "route.yaml", FIRST_HALF + SECOND_HALF);
        ConfigWatchProperties watch = new ConfigWatchProperties(Duration.ofMillis(300), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        // the files' age at startup (the scenario): older than the settle time
        Thread.sleep(400);
        try (ConfigRunner runner = runner(watch)) {
            long started = System.nanoTime();
            runner.start(Duration.ofSeconds(1));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(routes(runner)).isEqualTo(2);
            // one poll interval would be 1000 ms: no wait
            assertThat(tookMillis).isLessThan(1000);
        }
    }

    private void writeServices() {
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "services.yaml", GatewayHarness.serviceEntry("shop-v1", Map.of("v1", 18081))
                + "---\n" + GatewayHarness.serviceEntry("shop-v2", Map.of("v1", 18082)));
    }

    private ConfigRunner runner(ConfigWatchProperties watch) {
        return new ConfigRunner(config, TranslatorOptions.DEFAULTS, watch, new SimpleMeterRegistry());
    }

    private static long routes(ConfigRunner runner) {
        return runner.current().snapshot().listeners().stream().flatMap(l -> l.virtualHosts().stream())
                .mapToLong(v -> v.routes().size()).sum();
    }

    private static void write(FileChannel file, String text) {
        try {
            file.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            file.force(false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
