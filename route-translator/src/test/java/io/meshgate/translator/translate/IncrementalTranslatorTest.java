package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.diag.Code;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.load.Loaded;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.load.ResourceSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an unchanged VirtualService keeps from one translation to the next (its routes, the very objects), and what
 * makes it compile again.
 */
class IncrementalTranslatorTest {

    private static final String GATEWAY_AND_ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: public, namespace: edge}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*/*.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders, namespace: shop}
            spec:
              hosts: [orders.example.com]
              gateways: [edge/public]
              http:
              - route: [{destination: {host: orders, subset: v1}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: users, namespace: shop}
            spec:
              hosts: [users.example.com]
              gateways: [edge/public]
              http:
              - route: [{destination: {host: users}}]
            """;

    private final IncrementalTranslator translator = new IncrementalTranslator(TranslatorOptions.DEFAULTS);

    @Test
    void anUnchangedVirtualServiceKeepsItsRoutesWhileItsEndpointsChange() {
        TranslationResult first = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));
        TranslationResult second = translator.translate(configuration(entry("orders", "10.0.0.3", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));

        assertThat(route(second, "orders")).isSameAs(route(first, "orders"));
        assertThat(route(second, "users")).isSameAs(route(first, "users"));
        assertThat(cluster(second, "orders").endpoints()).singleElement()
                .satisfies(e -> assertThat(e.address()).isEqualTo("10.0.0.3"));
        assertThat(second.snapshot().version()).isNotEqualTo(first.snapshot().version());
    }

    @Test
    void aVirtualServiceCompilesAgainWhenASubsetItRoutesToGoes() {
        TranslationResult first = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));
        TranslationResult second = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v2")));

        assertThat(first.diagnostics()).noneMatch(d -> d.code() == Code.REFERENCED_RESOURCE_NOT_FOUND);
        assertThat(second.diagnostics()).anySatisfy(d -> {
            assertThat(d.code()).isEqualTo(Code.REFERENCED_RESOURCE_NOT_FOUND);
            assertThat(d.fieldPath()).isEqualTo("spec.http[0].route[0].destination.subset");
        });
        assertThat(route(second, "orders")).isNotSameAs(route(first, "orders")).isEqualTo(route(first, "orders"));
        assertThat(route(second, "users")).isSameAs(route(first, "users"));
        assertThat(second).isEqualTo(Translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v2")), TranslatorOptions.DEFAULTS));
    }

    @Test
    void reloadedFilesOfEqualContentAreReused() {
        TranslationResult first = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));
        TranslationResult again = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));

        assertThat(route(again, "orders")).isSameAs(route(first, "orders"));
        assertThat(again).isEqualTo(first);
    }

    @Test
    void aRateLimitPolicyThatChangesAloneChangesTheRoutesOfItsTarget() {
        TranslationResult first = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1"), rateLimit(10)));
        TranslationResult second = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1"), rateLimit(20)));
        TranslationResult third = translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1")));

        assertThat(route(first, "orders").policies().rateLimits()).singleElement()
                .satisfies(limit -> assertThat(limit.limit().requests()).isEqualTo(10));
        assertThat(route(second, "orders").policies().rateLimits()).singleElement()
                .satisfies(limit -> assertThat(limit.limit().requests()).isEqualTo(20));
        assertThat(route(third, "orders").policies().rateLimits()).isEmpty();
        assertThat(route(second, "users")).isSameAs(route(first, "users"));
        assertThat(List.of(first.snapshot().version(), second.snapshot().version(), third.snapshot().version()))
                .doesNotHaveDuplicates();
        assertThat(second).isEqualTo(Translator.translate(configuration(entry("orders", "10.0.0.1", "v1"),
                entry("users", "10.0.0.2", "v1"), rule("v1"), rateLimit(20)), TranslatorOptions.DEFAULTS));
    }

    private static String rateLimit(int requests) {
        return """
                apiVersion: policy.meshgate.io/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: orders, namespace: shop}
                spec:
                  targetRef: {kind: VirtualService, name: orders}
                  local:
                    rules:
                    - limit: {requests: %d, unit: Minute}
                """.formatted(requests);
    }

    private static ResourceSet configuration(String... more) {
        List<Loaded<?>> resources = new ArrayList<>(ResourceLoader.loadText("routes.yaml", GATEWAY_AND_ROUTES)
                .resources());
        for (String yaml : more) {
            resources.addAll(ResourceLoader.loadText("more.yaml", yaml).resources());
        }
        return ResourceSet.of(resources, List.of());
    }

    private static String entry(String name, String address, String version) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: %1$s, namespace: shop}
                spec:
                  hosts: [%1$s.shop.svc.cluster.local]
                  ports: [{number: 8080, name: http, protocol: HTTP}]
                  resolution: STATIC
                  endpoints: [{address: %2$s, labels: {version: %3$s}}]
                """.formatted(name, address, version);
    }

    private static String rule(String subset) {
        return """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: orders, namespace: shop}
                spec:
                  host: orders
                  subsets: [{name: %1$s, labels: {version: %1$s}}]
                """.formatted(subset);
    }

    private static Route route(TranslationResult result, String virtualService) {
        return result.snapshot().listeners().get(0).virtualHosts().stream()
                .flatMap(h -> h.routes().stream())
                .filter(r -> r.origin().name().equals(virtualService))
                .findFirst().orElseThrow();
    }

    private static Cluster cluster(TranslationResult result, String service) {
        return result.snapshot().clusters().stream()
                .filter(c -> c.service().startsWith(service + "."))
                .findFirst().orElseThrow();
    }
}
