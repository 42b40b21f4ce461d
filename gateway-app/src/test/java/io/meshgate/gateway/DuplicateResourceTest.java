package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A second definition of a resource (same kind, namespace and name) in another file is an Error and takes nothing
 * over: the definition the gateway served first stays, whether the copy's file sorts before or after it.
 */
class DuplicateResourceTest {

    @TempDir
    Path config;
    private TestBackend v1;
    private TestBackend v2;
    private GatewayHarness gateway;

    @BeforeEach
    void start() {
        v1 = new TestBackend("shop-v1");
        v2 = new TestBackend("shop-v2");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "services.yaml", GatewayHarness.serviceEntry("shop-v1",
                Map.of("v1", v1.port())) + "---\n" + GatewayHarness.serviceEntry("shop-v2", Map.of("v1", v2.port())));
        GatewayHarness.write(config, "shop.yaml", GatewayHarness.shopRouteTo("shop-v1"));
        gateway = new GatewayHarness(config, "--gateway.config-watch.file-settle-time=200ms");
    }

    @AfterEach
    void stop() {
        gateway.close();
        v1.close();
        v2.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"00-copy.yaml", "zz-copy.yaml"})
    void aCopyInAnotherFileTakesNothingOverAndIsAnError(String copy) {
        assertThat(backend()).isEqualTo("shop-v1");
        long generation = gateway.runner().current().generation();

        gateway.write(copy, GatewayHarness.shopRouteTo("shop-v2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.runner().current().generation() > generation);

        assertThat(backend()).isEqualTo("shop-v1");
        assertThat(gateway.runner().current().diagnostics()).filteredOn(d -> d.code().id().equals("GW0206"))
                .singleElement().satisfies(d -> {
            assertThat(d.isError()).isTrue();
            assertThat(d.location().orElseThrow().toString()).contains(copy);
        });
        assertThat(gateway.actuatorConfig()).contains("\"code\":\"GW0206\"");

        // the copy's own edits change nothing either; the original's do
        gateway.write(copy, GatewayHarness.shopRouteTo("shop-v1"));
        gateway.write("shop.yaml", GatewayHarness.shopRouteTo("shop-v2"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "shop-v2".equals(backend()));
    }

    private String backend() {
        return gateway.responseHeader("api.mystore.com", "/", "x-backend");
    }
}
