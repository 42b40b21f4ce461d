package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.istio.api.networking.v1.Gateway;
import io.fabric8.istio.api.networking.v1.GatewayBuilder;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway configured from the Kubernetes API (fabric8's mock API server in CRUD mode, with watches; real
 * informers, real listeners and backends): creating, changing and deleting Istio resources, Services,
 * EndpointSlices and Secrets changes what a running gateway serves; Gateways that do not select this gateway and
 * VirtualServices not exported to its namespace are ignored; diagnostics come back as Events; an EndpointSlice rollout under load fails no request; traffic keeps
 * flowing while the API server is away, and changes made after it returns are applied.
 */
@EnableKubernetesMockClient(crud = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesSourceTest {

    static KubernetesClient client;
    private static CuttableLink apiServer;

    @TempDir
    static Path state;
    private static TestBackend blue;
    private static TestBackend green;
    private static Issued ca;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        blue = new TestBackend("blue");
        green = new TestBackend("green");
        ca = TestCertificates.ca("cluster CA");
        secret("shop-cert", TestCertificates.issue(ca, "shop-1", Algorithm.EC, "shop.example.com"));
        client.resources(Gateway.class).inNamespace("edge").resource(gateway("public", "ingressgateway")).create();
        client.resources(Gateway.class).inNamespace("edge").resource(gateway("other", "internal-gateway")
                .edit().editSpec().editFirstServer().withHosts("other.example.com").endServer().endSpec().build())
                .create();
        service("web");
        pod("web-blue", "blue");
        pod("web-green", "green");
        endpoints(List.of(endpoint("web-blue", blue.port(), true, false)));
        client.resources(VirtualService.class).inNamespace("shop").resource(route("/")).create();
        // this gateway's own pod: its labels, not gateway.labels, decide which Gateways apply
        client.pods().inNamespace("istio-system").resource(new PodBuilder().withNewMetadata()
                .withName("meshgate-7d9f").withNamespace("istio-system").addToLabels("istio", "ingressgateway")
                .endMetadata().build()).create();
        java.net.URI master = java.net.URI.create(client.getConfiguration().getMasterUrl());
        // the gateway reaches the API server through a link the last test cuts
        apiServer = new CuttableLink(master.getHost(), master.getPort());
        gateway = new GatewayHarness(state.resolve("state"), "--gateway.config-source=kubernetes",
                "--gateway.kubernetes.master-url=" + master.getScheme() + "://127.0.0.1:" + apiServer.port(),
                "--gateway.kubernetes.namespace=istio-system", "--gateway.kubernetes.sync-timeout=20s",
                "--gateway.kubernetes.pod-name=meshgate-7d9f", "--gateway.labels.istio=internal-gateway");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        apiServer.close();
        blue.close();
        green.close();
    }

    private static Gateway gateway(String name, String selector) {
        return new GatewayBuilder().withNewMetadata().withName(name).withNamespace("edge").endMetadata()
                .withNewSpec().addToSelector("istio", selector)
                .addNewServer().withNewPort().withNumber(80L).withName("http").withProtocol("HTTP").endPort()
                .withHosts("shop.example.com").endServer()
                .addNewServer().withNewPort().withNumber(443L).withName("https").withProtocol("HTTPS").endPort()
                .withHosts("shop.example.com").withNewTls().withMode(
                        io.fabric8.istio.api.api.networking.v1alpha3.ServerTLSSettingsTLSmode.SIMPLE)
                .withCredentialName("shop-cert").endTls().endServer()
                .endSpec().build();
    }

    private static VirtualService route(String prefix) {
        return new VirtualServiceBuilder().withNewMetadata().withName("shop").withNamespace("shop").endMetadata()
                .withNewSpec().withHosts("shop.example.com", "other.example.com").withGateways("edge/public")
                .addNewHttp().addNewMatch().withNewUri().withNewStringMatchPrefixType(prefix).endUri().endMatch()
                .addNewRoute().withNewDestination().withHost("web").endDestination().endRoute().endHttp()
                .endSpec().build();
    }

    private static void service(String name) {
        client.services().inNamespace("shop").resource(new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace("shop").endMetadata()
                .withNewSpec().addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
    }

    private static void pod(String name, String version) {
        client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace("shop").addToLabels("app", "web").addToLabels("version", version).endMetadata()
                .build()).create();
    }

    private record Address(String pod, int port, boolean ready, boolean terminating) {
    }

    private static Address endpoint(String pod, int port, boolean ready, boolean terminating) {
        return new Address(pod, port, ready, terminating);
    }

    /**
     * One slice per backend port, as EndpointSlices group endpoints by port: slices are updated in place, and those
     * of addresses no longer listed deleted afterwards, as the EndpointSlice controller does.
     */
    private static void endpoints(List<Address> addresses) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (Address address : addresses) {
            wanted.add("web-" + address.pod());
            client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("web-" + address.pod()).withNamespace("shop")
                    .addToLabels("kubernetes.io/service-name", "web").endMetadata()
                    .withAddressType("IPv4").addNewPort().withName("http").withPort(address.port()).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(address.ready())
                    .withTerminating(address.terminating()).endConditions()
                    .withNewTargetRef().withKind("Pod").withName(address.pod()).withNamespace("shop").endTargetRef()
                    .endEndpoint().build()).createOr(existing -> existing.update());
        }
        for (var slice : client.discovery().v1().endpointSlices().inNamespace("shop")
                .withLabel("kubernetes.io/service-name", "web").list().getItems()) {
            if (!wanted.contains(slice.getMetadata().getName())) {
                client.discovery().v1().endpointSlices().inNamespace("shop").withName(slice.getMetadata().getName())
                        .delete();
            }
        }
    }

    private static void secret(String name, Issued certificate) {
        client.secrets().inNamespace("istio-system").resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace("istio-system").endMetadata().withType("kubernetes.io/tls")
                .addToData("tls.crt", base64(certificate.certificatePem()))
                .addToData("tls.key", base64(certificate.keyPem())).build()).createOr(existing -> existing.update());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Map.Entry<Integer, String> get(String host, String path) {
        return HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> h.set("Host", host)).responseTimeout(Duration.ofSeconds(5))
                .get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> Map.entry(response.status().code(), text)))
                .block(Duration.ofSeconds(10));
    }

    private static String management(String path) {
        return HttpClient.create().get().uri("http://127.0.0.1:" + gateway.managementPort() + path)
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }

    @Test
    @Order(1)
    void theClustersResourcesAreServedFromTheStart() {
        assertThat(get("shop.example.com", "/cart").getValue()).startsWith("blue GET /cart");
    }

    /** gateway.labels say internal-gateway, the pod says ingressgateway: the pod's labels select. */
    @Test
    @Order(2)
    void aGatewayThatSelectsAnotherGatewayThanThisPodIsIgnored() {
        assertThat(get("other.example.com", "/").getKey()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void virtualServiceChangesAndDeletionsReachTheDataPath() {
        client.resources(VirtualService.class).inNamespace("shop").withName("shop")
                .edit(vs -> route("/api"));
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/cart").getKey() == 404);
        assertThat(get("shop.example.com", "/api/x").getKey()).isEqualTo(200);

        client.resources(VirtualService.class).inNamespace("shop").withName("shop").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/api/x").getKey() == 404);

        client.resources(VirtualService.class).inNamespace("shop").resource(route("/")).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/").getKey() == 200);
    }

    @Test
    @Order(4)
    void anEndpointSliceRolloutUnderLoadFailsNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread load = new Thread(() -> {
            while (running.get()) {
                var answer = get("shop.example.com", "/rollout");
                if (answer.getKey() != 200) {
                    failures.incrementAndGet();
                } else {
                    seen.add(answer.getValue().substring(0, answer.getValue().indexOf(' ')));
                }
            }
        });
        load.start();
        try {
            // the new pod becomes ready beside the old one, then the old one terminates and goes away
            endpoints(List.of(endpoint("web-blue", blue.port(), true, false),
                    endpoint("web-green", green.port(), true, false)));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("green"));
            endpoints(List.of(endpoint("web-blue", blue.port(), false, true),
                    endpoint("web-green", green.port(), true, false)));
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                synchronized (seen) {
                    return seen.size() > 10 && seen.subList(seen.size() - 10, seen.size()).stream()
                            .allMatch("green"::equals);
                }
            });
            int before = seen.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() > before + 20);
            List<String> after;
            synchronized (seen) {
                after = List.copyOf(seen.subList(before + 10, seen.size()));
            }
            assertThat(after).containsOnly("green");
            endpoints(List.of(endpoint("web-green", green.port(), true, false)));
            int removed = seen.size();
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() > removed + 30);
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(failures.get()).isZero();
        assertThat(seen.size()).isGreaterThan(50);
    }

    @Test
    @Order(5)
    void aSecretRotationChangesTheServedCertificate() throws Exception {
        TlsClient tls = new TlsClient(() -> gateway.port(443), ca);
        try (SSLSocket socket = tls.handshake("shop.example.com", null, List.of())) {
            assertThat(TlsClient.subject(socket)).isEqualTo("CN=shop-1");
        }

        secret("shop-cert", TestCertificates.issue(ca, "shop-2", Algorithm.RSA, "shop.example.com"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (SSLSocket socket = tls.handshake("shop.example.com", null, List.of())) {
                assertThat(TlsClient.subject(socket)).isEqualTo("CN=shop-2");
                assertThat(TlsClient.get(socket, "shop.example.com", "/").status()).isEqualTo(200);
            }
        });
    }

    @Test
    @Order(6)
    void diagnosticsAreReportedAsEventsOnTheResource() {
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder()
                .withNewMetadata().withName("broken").withNamespace("shop").endMetadata()
                .withNewSpec().withHosts("broken.example.com").withGateways("edge/public")
                .addNewHttp().addNewRoute().withNewDestination().withHost("nowhere").endDestination().endRoute()
                .endHttp().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<Event> events = client.v1().events().inNamespace("shop").list().getItems();
            assertThat(events).anySatisfy(event -> {
                assertThat(event.getInvolvedObject().getKind()).isEqualTo("VirtualService");
                assertThat(event.getInvolvedObject().getName()).isEqualTo("broken");
                assertThat(event.getReason()).startsWith("GW");
                assertThat(event.getSource().getComponent()).isEqualTo("meshgate");
            });
        });
    }

    @Test
    @Order(7)
    void trafficKeepsFlowingWhileTheApiServerIsAwayAndChangesAfterItReturnAreApplied() {
        apiServer.cut();
        try {
            // changes made while the gateway cannot see them
            client.resources(VirtualService.class).inNamespace("shop").withName("shop").edit(vs -> route("/back"));
            for (int i = 0; i < 20; i++) {
                assertThat(get("shop.example.com", "/away").getKey()).isEqualTo(200);
            }
            assertThat(management("/actuator/health/readiness")).contains("UP");
        } finally {
            apiServer.restore();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> get("shop.example.com", "/away").getKey() == 404);
        assertThat(get("shop.example.com", "/back").getKey()).isEqualTo(200);
    }

    @Test
    @Order(8)
    void aVirtualServiceNotExportedToTheGatewaysNamespaceIsIgnored() {
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder(route("/hidden"))
                .editMetadata().withName("hidden").endMetadata().editSpec().withExportTo(".").endSpec().build())
                .create();
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder(
                route("/visible")).editMetadata().withName("visible").endMetadata().editSpec()
                .withExportTo("istio-system").endSpec().build()).create();

        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/visible").getKey() == 200);
        assertThat(get("shop.example.com", "/hidden").getKey()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void serviceEntriesWorkloadEntriesDestinationRulesGatewaysAndServicesChangeRouting() {
        // a ServiceEntry whose endpoint is a WorkloadEntry
        client.resources(io.fabric8.istio.api.networking.v1.WorkloadEntry.class).inNamespace("shop").resource(
                new io.fabric8.istio.api.networking.v1.WorkloadEntryBuilder().withNewMetadata().withName("legacy-1")
                        .withNamespace("shop").endMetadata().withNewSpec().withAddress("127.0.0.1")
                        .addToLabels("app", "legacy").addToPorts("http", (long) green.port()).endSpec().build())
                .create();
        client.resources(io.fabric8.istio.api.networking.v1.ServiceEntry.class).inNamespace("shop").resource(
                new io.fabric8.istio.api.networking.v1.ServiceEntryBuilder().withNewMetadata().withName("legacy")
                        .withNamespace("shop").endMetadata().withNewSpec().withHosts("legacy.internal")
                        .addNewPort().withNumber(80L).withName("http").withProtocol("HTTP").endPort()
                        .withResolution(io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution.STATIC)
                        .withNewWorkloadSelector().addToLabels("app", "legacy").endWorkloadSelector().endSpec()
                        .build()).create();
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder(
                route("/legacy")).editMetadata().withName("legacy").endMetadata().editSpec().editFirstHttp()
                .editFirstRoute().editDestination().withHost("legacy.internal").endDestination().endRoute()
                .endHttp().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/legacy").getValue()
                .startsWith("green"));

        // subsets of a DestinationRule select pods by their labels; changing it moves the traffic
        endpoints(List.of(endpoint("web-blue", blue.port(), true, false),
                endpoint("web-green", green.port(), true, false)));
        client.resources(io.fabric8.istio.api.networking.v1.DestinationRule.class).inNamespace("shop").resource(
                subsets("blue")).create();
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder(
                route("/subset")).editMetadata().withName("subset").endMetadata().editSpec().editFirstHttp()
                .editFirstRoute().editDestination().withSubset("chosen").endDestination().endRoute()
                .endHttp().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/subset").getValue()
                .startsWith("blue"));
        for (int i = 0; i < 10; i++) {
            assertThat(get("shop.example.com", "/subset").getValue()).startsWith("blue");
        }
        client.resources(io.fabric8.istio.api.networking.v1.DestinationRule.class).inNamespace("shop")
                .withName("web").edit(dr -> subsets("green"));
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/subset").getValue()
                .startsWith("green"));

        // a host added to the Gateway is served
        assertThat(get("new.example.com", "/").getKey()).isEqualTo(404);
        client.resources(Gateway.class).inNamespace("edge").withName("public").edit(gw -> new GatewayBuilder(gw)
                .editSpec().editFirstServer().addToHosts("new.example.com").endServer().endSpec().build());
        client.resources(VirtualService.class).inNamespace("shop").resource(new VirtualServiceBuilder(route("/"))
                .editMetadata().withName("new").endMetadata().editSpec().withHosts("new.example.com").endSpec()
                .build()).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("new.example.com", "/").getKey() == 200);

        // a deleted Service takes its endpoints with it
        client.services().inNamespace("shop").withName("web").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("new.example.com", "/").getKey() != 200);
    }

    /** As Istio's validating webhook would refuse the edit, the last good version of the resource keeps serving. */
    @Test
    @Order(10)
    void aVirtualServiceEditedIntoAnErrorStateKeepsItsLastGoodVersionServing() {
        client.resources(io.fabric8.istio.api.networking.v1.ServiceEntry.class).inNamespace("shop").resource(
                new io.fabric8.istio.api.networking.v1.ServiceEntryBuilder().withNewMetadata().withName("guarded")
                        .withNamespace("shop").endMetadata().withNewSpec().withHosts("guarded.internal")
                        .addNewPort().withNumber(80L).withName("http").withProtocol("HTTP").endPort()
                        .withResolution(io.fabric8.istio.api.api.networking.v1alpha3.ServiceEntryResolution.STATIC)
                        .addNewEndpoint().withAddress("127.0.0.1").addToPorts("http", (long) green.port())
                        .endEndpoint().endSpec().build()).create();
        VirtualService good = new VirtualServiceBuilder(route("/guarded")).editMetadata().withName("guarded")
                .endMetadata().editSpec().editFirstHttp().editFirstRoute().editDestination()
                .withHost("guarded.internal").endDestination().endRoute().endHttp().endSpec().build();
        client.resources(VirtualService.class).inNamespace("shop").resource(good).create();
        await().atMost(Duration.ofSeconds(5)).until(() -> get("shop.example.com", "/guarded").getValue()
                .startsWith("green GET /guarded"));

        // the rule loses its action: an Error (GW0106); applied, it would answer 500 for /guarded
        client.resources(VirtualService.class).inNamespace("shop").withName("guarded").edit(vs ->
                new VirtualServiceBuilder(vs).editSpec().editFirstHttp().withRoute(List.of()).endHttp().endSpec()
                        .build());
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.runner().rejected().stream()
                .anyMatch(r -> r.display().equals("VirtualService shop/guarded")));
        assertThat(get("shop.example.com", "/guarded").getValue()).startsWith("green GET /guarded");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.v1().events()
                .inNamespace("shop").list().getItems()).anySatisfy(event -> {
                    assertThat(event.getInvolvedObject().getName()).isEqualTo("guarded");
                    assertThat(event.getReason()).isEqualTo("GW0218");
                }));

        client.resources(VirtualService.class).inNamespace("shop").withName("guarded").delete();
        client.resources(io.fabric8.istio.api.networking.v1.ServiceEntry.class).inNamespace("shop")
                .withName("guarded").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.runner().rejected().isEmpty());
    }

    private static io.fabric8.istio.api.networking.v1.DestinationRule subsets(String version) {
        return new io.fabric8.istio.api.networking.v1.DestinationRuleBuilder().withNewMetadata().withName("web")
                .withNamespace("shop").endMetadata().withNewSpec().withHost("web")
                .addNewSubset().withName("chosen").addToLabels("version", version).endSubset().endSpec().build();
    }
}
