package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * An application extends the gateway with Spring: a {@link GlobalFilter} bean runs in the chain of every forwarded
 * request, in its order among the gateway's own filters.
 */
class ExtensionFilterTest {

    @Configuration(proxyBeanMethods = false)
    static class TenantHeader {
        @Bean
        GlobalFilter tenantHeader() {
            return (exchange, chain) -> chain.filter(exchange.mutate()
                    .request(r -> r.header("x-tenant", "acme"))
                    .build());
        }
    }

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("shop");
        GatewayHarness.write(config, "routes.yaml", GatewayHarness.everythingTo("shop"));
        GatewayHarness.write(config, "shop.yaml", GatewayHarness.serviceEntry("shop", Map.of("v1", backend.port())));
        gateway = new GatewayHarness(config, new Class<?>[] {TenantHeader.class});
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    @Test
    void aGlobalFilterBeanChangesTheForwardedRequest() {
        var headers = gateway.client("a.example.com").get().uri("/orders")
                .responseSingle((response, body) -> body.then(Mono.just(response.responseHeaders())))
                .block();

        assertThat(headers.get("x-echo-x-tenant")).isEqualTo("acme");
    }
}
