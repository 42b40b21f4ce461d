package io.meshgate.translator.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.GatewayBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.istio.api.networking.v1alpha3.EnvoyFilter;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshgate.translator.api.policy.v1alpha1.RateLimitPolicy;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.RateLimit;
import io.meshgate.translator.ir.RateLimitSelector;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.load.ResourceSet;
import io.meshgate.translator.translate.Translator;
import io.meshgate.translator.translate.TranslatorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes source against fabric8's mock API server in CRUD mode (real informers, real list and watch over
 * HTTP): what is created, changed and deleted there reaches the translator, and a burst of changes is coalesced.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesSourceTest {

    static KubernetesClient client;

    private final AtomicReference<ResourceSet> latest = new AtomicReference<>();
    private final AtomicInteger rebuilds = new AtomicInteger();
    /** While set, a rebuild waits for it to be counted down, as a slow translation would keep it busy. */
    private volatile java.util.concurrent.CountDownLatch busy;
    private KubernetesSource source;

    @BeforeEach
    void start() {
        installCrd("ratelimitpolicies.policy.meshgate.io-v1.yaml");
        installCrd("envoyfilters.networking.istio.io-v1.yaml");
        client.resources(Gateway.class).inNamespace("edge").resource(gateway()).create();
        client.services().inNamespace("shop").resource(new ServiceBuilder()
                .withNewMetadata().withName("reviews").withNamespace("shop").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(9080).endPort().endSpec().build()).create();
        client.pods().inNamespace("shop").resource(new PodBuilder()
                .withNewMetadata().withName("reviews-1").withNamespace("shop").addToLabels("version", "v1")
                .endMetadata().withNewSpec().addNewContainer().withName("app").withImage("reviews:1").endContainer()
                .endSpec().build()).create();
        endpoints("10.1.0.1");
        startSource();
    }

    private void startSource() {
        source = new KubernetesSource(client, KubernetesSourceOptions.DEFAULTS);
        source.start(resources -> {
            rebuilds.incrementAndGet();
            latest.set(resources);
            var latch = busy;
            if (latch != null) {
                try {
                    latch.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        source.close();
        client.resources(VirtualService.class).inAnyNamespace().delete();
        client.resources(RateLimitPolicy.class).inAnyNamespace().delete();
        client.resources(EnvoyFilter.class).inAnyNamespace().delete();
        client.resources(Gateway.class).inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        client.discovery().v1().endpointSlices().inAnyNamespace().delete();
    }

    private static Gateway gateway() {
        return new GatewayBuilder().withNewMetadata().withName("public").withNamespace("edge").endMetadata()
                .withNewSpec().addToSelector("istio", "ingressgateway")
                .addNewServer().withNewPort().withNumber(80L).withName("http").withProtocol("HTTP").endPort()
                .withHosts("*.example.com").endServer().endSpec().build();
    }

    private static VirtualService virtualService(String name, String host, String path) {
        return new VirtualServiceBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().withHosts(host).withGateways("edge/public")
                .addNewHttp().addNewMatch().withNewUri().withNewStringMatchPrefixType(path).endUri().endMatch()
                .addNewRoute().withNewDestination().withHost("reviews").endDestination().endRoute().endHttp()
                .endSpec().build();
    }

    /** As {@code kubectl apply -k k8s/crds/} does: the API server then serves the kind. */
    private static void installCrd(String file) {
        var crds = client.apiextensions().v1().customResourceDefinitions();
        CustomResourceDefinition crd = crds.load(Path.of("..", "k8s", "crds", file).toFile()).item();
        if (crds.withName(crd.getMetadata().getName()).get() == null) {
            crds.resource(crd).create();
        }
    }

    private static <T> T parse(String yaml, Class<T> type) {
        return client.getKubernetesSerialization().unmarshal(yaml, type);
    }

    private List<String> rateLimitsOfFirstRoute() {
        return snapshot().listeners().get(0).virtualHosts().get(0).routes().get(0).policies().rateLimits().stream()
                .map(RateLimit::id).toList();
    }

    private static void endpoints(String... addresses) {
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("reviews-abc").withNamespace("shop")
                .addToLabels("kubernetes.io/service-name", "reviews").endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort();
        for (String address : addresses) {
            slice.addNewEndpoint().withAddresses(address).withNewConditions().withReady(true).endConditions()
                    .withNewTargetRef().withKind("Pod").withName("reviews-1").withNamespace("shop").endTargetRef()
                    .endEndpoint();
        }
        client.discovery().v1().endpointSlices().inNamespace("shop").resource(slice.build()).createOr(
                existing -> existing.update());
    }

    private Snapshot snapshot() {
        return Translator.translate(latest.get(), TranslatorOptions.DEFAULTS).snapshot();
    }

    private List<String> endpointsOfReviews() {
        return snapshot().clusters().stream().filter(c -> c.service().equals("reviews.shop.svc.cluster.local"))
                .map(Cluster::endpoints).flatMap(List::stream).map(e -> e.address() + ":" + e.port()).toList();
    }

    @Test
    void theFirstResourceSetHoldsWhatTheApiServerHasBeforeStartReturns() {
        assertThat(latest.get()).isNotNull();
        assertThat(latest.get().gateways()).hasSize(1);
        assertThat(latest.get().services()).hasSize(1);
        assertThat(latest.get().endpointSlices()).hasSize(1);
        // pods are cached as their labels only
        var pod = latest.get().pods().get(0).resource();
        assertThat(pod.getMetadata().getLabels()).containsEntry("version", "v1");
        assertThat(pod.getSpec()).isNull();
    }

    @Test
    void createdChangedAndDeletedVirtualServicesReachTheTranslation() {
        client.resources(VirtualService.class).inNamespace("shop")
                .resource(virtualService("reviews", "shop.example.com", "/reviews")).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(snapshot().listeners()).hasSize(1);
            assertThat(snapshot().listeners().get(0).virtualHosts()).anySatisfy(host ->
                    assertThat(host.domains()).contains("shop.example.com"));
            assertThat(endpointsOfReviews()).containsExactly("10.1.0.1:8080");
        });

        endpoints("10.1.0.1", "10.1.0.2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(endpointsOfReviews()).containsExactly("10.1.0.1:8080", "10.1.0.2:8080"));
        Endpoint first = snapshot().clusters().stream().flatMap(c -> c.endpoints().stream()).findFirst().orElseThrow();
        assertThat(first.labels()).containsEntry("version", "v1");

        client.resources(VirtualService.class).inNamespace("shop").withName("reviews").delete();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(latest.get().virtualServices()).isEmpty());
    }

    @Test
    void aRateLimitPolicyCreatedInTheClusterLimitsTheRoutesOfItsVirtualService() {
        client.resources(VirtualService.class).inNamespace("shop")
                .resource(virtualService("reviews", "shop.example.com", "/reviews")).create();
        client.resources(RateLimitPolicy.class).inNamespace("shop").resource(parse("""
                apiVersion: policy.meshgate.io/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: reviews, namespace: shop}
                spec:
                  targetRef: {kind: VirtualService, name: reviews}
                  local:
                    rules:
                    - clientSelectors: [{headers: [{name: x-user-id, type: Distinct}]}]
                      limit: {requests: 100, unit: Minute}
                      burst: 20
                """, RateLimitPolicy.class)).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(rateLimitsOfFirstRoute()).containsExactly("ratelimitpolicy/shop/reviews/local/0"));
        RateLimit limit = snapshot().listeners().get(0).virtualHosts().get(0).routes().get(0).policies()
                .rateLimits().get(0);
        assertThat(limit.limit().capacity()).isEqualTo(120);
        assertThat(limit.selectors()).extracting(RateLimitSelector::name).containsExactly("x-user-id");

        client.resources(RateLimitPolicy.class).inNamespace("shop").withName("reviews").delete();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(rateLimitsOfFirstRoute()).isEmpty());
    }

    @Test
    void anEnvoyFilterWithTheLocalRateLimitFilterLimitsTheGatewaysRoutes() {
        client.resources(VirtualService.class).inNamespace("shop")
                .resource(virtualService("reviews", "shop.example.com", "/reviews")).create();
        client.resources(EnvoyFilter.class).inNamespace("istio-system").resource(parse("""
                apiVersion: networking.istio.io/v1alpha3
                kind: EnvoyFilter
                metadata: {name: local-ratelimit, namespace: istio-system}
                spec:
                  workloadSelector: {labels: {istio: ingressgateway}}
                  configPatches:
                  - applyTo: HTTP_FILTER
                    match: {context: GATEWAY}
                    patch:
                      operation: INSERT_BEFORE
                      value:
                        name: envoy.filters.http.local_ratelimit
                        typed_config:
                          "@type": type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                          stat_prefix: http_local_rate_limiter
                          token_bucket: {max_tokens: 10, tokens_per_fill: 10, fill_interval: 60s}
                          filter_enabled: {default_value: {numerator: 100}}
                          filter_enforced: {default_value: {numerator: 100}}
                """, EnvoyFilter.class)).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(rateLimitsOfFirstRoute())
                .containsExactly("envoyfilter/istio-system/local-ratelimit/0"));
    }

    @Test
    void changesThatArriveDuringARebuildAreCoalescedIntoOneMore() {
        int before = rebuilds.get();
        busy = new java.util.concurrent.CountDownLatch(1);
        client.resources(VirtualService.class).inNamespace("shop")
                .resource(virtualService("first", "first.example.com", "/")).create();
        // the rebuild for the first change is now busy; 300 more changes arrive meanwhile
        await().atMost(Duration.ofSeconds(5)).until(() -> rebuilds.get() == before + 1);
        for (int i = 0; i < 300; i++) {
            client.resources(VirtualService.class).inNamespace("shop")
                    .resource(virtualService("vs-" + i, "h" + i + ".example.com", "/")).create();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> source.resources().virtualServices().size() == 301);
        busy.countDown();
        busy = null;

        await().atMost(Duration.ofSeconds(5)).until(() -> latest.get().virtualServices().size() == 301);
        // one rebuild for all 300: they all wait for the busy one, whatever the timing of their arrival
        assertThat(rebuilds.get() - before).isEqualTo(2);
    }
}
