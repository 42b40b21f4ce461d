package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.load.ResourceLoader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How rate limits attach to routes: cheaply, and only where their target is served. */
class RateLimitsTest {

    private static final String GATEWAY_AND_VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: shop}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [a.example.com, b.example.com]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: shop}
            spec:
              hosts: [a.example.com, b.example.com]
              gateways: [public]
              http:
              - directResponse: {status: 200}
            """;

    @Test
    void aRouteWithRateLimitsIsOneCopySharedByEveryHostThatServesIt() {
        Snapshot snapshot = translate(GATEWAY_AND_VIRTUAL_SERVICE + """
                ---
                apiVersion: policy.meshgate.io/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: api, namespace: shop}
                spec:
                  targetRef: {kind: VirtualService, name: api}
                  local: {rules: [{limit: {requests: 10, unit: Second}}]}
                """);

        List<Route> routes = snapshot.listeners().get(0).virtualHosts().stream().map(h -> h.routes().get(0)).toList();
        assertThat(routes).hasSize(2);
        assertThat(routes.get(0)).isSameAs(routes.get(1));
        assertThat(routes.get(0).policies().rateLimits()).hasSize(1);
    }

    @Test
    void withoutPoliciesOrEnvoyFiltersTheCompiledRoutesAreServedAsTheyAre() {
        List<Route> routes = List.of();
        assertThat(RateLimits.NONE.inMesh(SourceRef.of("VirtualService", "shop", "api"), routes))
                .isSameAs(routes);
        Snapshot snapshot = translate(GATEWAY_AND_VIRTUAL_SERVICE);
        assertThat(snapshot.listeners().get(0).virtualHosts()).allSatisfy(h ->
                assertThat(h.routes().get(0).policies().rateLimits()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/8", "192.168.1.7/32", "::/0", "2001:db8::/32", "::1/128",
            "::ffff:10.0.0.0/104", "fe80::1:2:3:4/64"})
    void validCidrs(String cidr) {
        assertThat(RateLimitSelectors.isCidr(cidr)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0.256/8", "10.0.0/8", "10.0.0.0/-1", "::/129",
            "2001:db8::g/32", "example.com/8", "localhost/32", "[::1]/128", "fe80::1%eth0/64", "/8", "10.0.0.0/"})
    void invalidCidrs(String cidr) {
        assertThat(RateLimitSelectors.isCidr(cidr)).isFalse();
    }

    @Test
    void protoJsonNamesAreReadInEitherCase() {
        assertThat(LocalRateLimitConfig.snakeCase("tokenBucket")).isEqualTo("token_bucket");
        assertThat(LocalRateLimitConfig.snakeCase("token_bucket")).isEqualTo("token_bucket");
        assertThat(LocalRateLimitConfig.snakeCase("@type")).isEqualTo("@type");
    }

    private static Snapshot translate(String yaml) {
        TranslationResult result = Translator.translate(ResourceLoader.loadText("test.yaml", yaml),
                TranslatorOptions.DEFAULTS);
        assertThat(result.diagnostics()).isEmpty();
        return result.snapshot();
    }
}
