package io.meshgate.translator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicy;
import io.meshgate.translator.load.ResourceSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A cluster where the API server serves neither RateLimitPolicy (Meshgate's CRD not installed) nor EnvoyFilter: the
 * Kubernetes source starts and reads everything else, without watching those kinds.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceWithoutCrdsTest {

    static KubernetesClient client;

    @Test
    void startsWithoutWatchingTheKindsTheApiServerDoesNotServe() {
        var serialization = client.getKubernetesSerialization();
        assertThat(client.supports("policy.meshgate.io/v1alpha1", "RateLimitPolicy")).isFalse();
        assertThat(client.supports("networking.istio.io/v1alpha3", "EnvoyFilter")).isFalse();
        client.resources(Gateway.class).inNamespace("edge").resource(serialization.unmarshal("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: public, namespace: edge}
                spec:
                  selector: {istio: ingressgateway}
                  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
                """, Gateway.class)).create();
        // the mock server keeps what it is sent even without a CRD, and lists it: a real one would refuse it
        client.resources(RateLimitPolicy.class).inNamespace("edge").resource(serialization.unmarshal("""
                apiVersion: policy.meshgate.io/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: all, namespace: edge}
                spec:
                  targetRef: {kind: Gateway, name: public}
                """, RateLimitPolicy.class)).create();

        AtomicReference<ResourceSet> latest = new AtomicReference<>();
        try (KubernetesSource source = new KubernetesSource(client, KubernetesSourceOptions.DEFAULTS)) {
            source.start(latest::set, Duration.ofSeconds(10));

            assertThat(latest.get().gateways()).hasSize(1);
            assertThat(latest.get().rateLimitPolicies()).isEmpty();
            assertThat(source.watching()).isTrue();
        }
    }
}
