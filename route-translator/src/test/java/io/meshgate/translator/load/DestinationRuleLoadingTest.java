package io.meshgate.translator.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.istio.api.networking.v1.DestinationRule;
import io.meshgate.translator.diag.Diagnostic;
import org.junit.jupiter.api.Test;

/**
 * DestinationRule fields fabric8's model gets in the way of: field paths inside protobuf oneofs, and
 * {@code consistentHash.ringHash}, which the model cannot hold.
 */
class DestinationRuleLoadingTest {

    private static final String HEAD = """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders, namespace: shop}
            spec:
              host: orders
              trafficPolicy:
            """;

    @Test
    void aWrongTypeInsideAOneofIsReportedAtItsYamlPath() {
        ResourceSet set = load("    loadBalancer: {consistentHash: {httpCookie: {name: s, ttl: [1]}}}\n");

        assertThat(set.diagnostics()).extracting(DestinationRuleLoadingTest::key).containsExactly(
                "SCHEMA_VALIDATION_ERROR DestinationRule shop/orders "
                        + "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl");
        assertThat(set.destinationRules()).isEmpty();
    }

    @Test
    void ringHashMinimumRingSizeLoads() {
        ResourceSet set = load("    loadBalancer: {consistentHash: {httpHeaderName: x, "
                + "ringHash: {minimumRingSize: 2048}}}\n");

        assertThat(set.diagnostics()).isEmpty();
        DestinationRule rule = set.destinationRules().get(0).resource();
        assertThat(rule.getSpec().getTrafficPolicy().getLoadBalancer()).satisfies(lb -> assertThat(
                ((io.fabric8.istio.api.api.networking.v1alpha3.LoadBalancerSettingsConsistentHash) lb.getLbPolicy())
                        .getConsistentHash().getMinimumRingSize()).isEqualTo(2048L));
    }

    @Test
    void theLegacyMinimumRingSizeIsDeprecated() {
        ResourceSet set = load("    loadBalancer: {consistentHash: {httpHeaderName: x, minimumRingSize: 512}}\n");

        assertThat(set.diagnostics()).extracting(DestinationRuleLoadingTest::key).containsExactly(
                "DEPRECATED DestinationRule shop/orders "
                        + "spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize");
        assertThat(set.destinationRules()).hasSize(1);
    }

    @Test
    void aMalformedRingHashRejectsTheResource() {
        ResourceSet set = load("    loadBalancer: {consistentHash: {useSourceIp: true, ringHash: {size: 1, "
                + "minimumRingSize: -1}}}\n");

        assertThat(set.diagnostics()).extracting(DestinationRuleLoadingTest::key).containsExactlyInAnyOrder(
                "UNKNOWN_FIELD DestinationRule shop/orders "
                        + "spec.trafficPolicy.loadBalancer.consistentHash.ringHash.size",
                "SCHEMA_VALIDATION_ERROR DestinationRule shop/orders "
                        + "spec.trafficPolicy.loadBalancer.consistentHash.ringHash.minimumRingSize");
        assertThat(set.destinationRules()).isEmpty();
    }

    private static ResourceSet load(String policy) {
        return ResourceLoader.loadText("dr.yaml", HEAD + policy);
    }

    private static String key(Diagnostic d) {
        return d.code().name() + " " + d.resource().display() + " " + d.fieldPath();
    }
}
