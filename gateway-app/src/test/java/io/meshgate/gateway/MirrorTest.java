package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/** Istio's {@code mirror}/{@code mirrors} end to end: real gateway, real main and mirror backends on 127.0.0.1. */
class MirrorTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("api.mystore.com") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: store, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /all}}]
                route: [{destination: {host: orders}}]
                mirror: {host: shadow}
                mirrorPercentage: {value: 100}
              - match: [{uri: {prefix: /legacy/}}]
                rewrite: {uri: /v2/, authority: orders.internal}
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: shadow}}]
              - match: [{uri: {prefix: /half}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: half}, percentage: {value: 50}}]
              - match: [{uri: {prefix: /hang}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: hang}, percentage: {value: 100}}]
              - match: [{uri: {prefix: /down}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: down}, percentage: {value: 100}}]
              - match: [{uri: {prefix: /pair}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: pair}, percentage: {value: 100}}]
              - match: [{uri: {prefix: /secure}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: secure}, percentage: {value: 100}}]
              - match: [{uri: {prefix: /empty}}]
                route: [{destination: {host: orders}}]
                mirrors: [{destination: {host: nobody}, percentage: {value: 100}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: secure, namespace: default}
            spec:
              host: secure.default.svc.cluster.local
              trafficPolicy:
                tls: {mode: SIMPLE, caCertificates: secure-ca.pem, subjectAltNames: [secure.internal]}
            ---
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: nobody, namespace: default}
            spec:
              hosts: [nobody.default.svc.cluster.local]
              ports: [{number: 8080, name: http, protocol: HTTP}]
              resolution: STATIC
            """;

    @TempDir
    static Path config;
    private static TestBackend orders;
    private static ShadowBackend shadow;
    private static ShadowBackend half;
    private static ShadowBackend hang;
    private static ShadowBackend pairA;
    private static ShadowBackend pairB;
    private static ShadowBackend secure;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws IOException {
        orders = new TestBackend("orders");
        shadow = new ShadowBackend(false);
        half = new ShadowBackend(false);
        hang = new ShadowBackend(true);
        pairA = new ShadowBackend(false);
        pairB = new ShadowBackend(false);
        TestCertificates.Issued ca = TestCertificates.ca("mirror CA");
        TestCertificates.Issued certificate = TestCertificates.issue(ca, "secure", TestCertificates.Algorithm.EC,
                "secure.internal");
        secure = new ShadowBackend(false, server -> server.protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forServer(certificate.keys().getPrivate(),
                        certificate.certificate()))));
        java.nio.file.Files.writeString(config.resolve("secure-ca.pem"), ca.certificatePem());
        // held while the gateway binds its own free ports, so that none of them can be this one, then closed
        ServerSocket reserved = new ServerSocket(0);
        int closedPort = reserved.getLocalPort();
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "orders.yaml", GatewayHarness.serviceEntry("orders", Map.of("v1", orders.port())));
        GatewayHarness.write(config, "shadow.yaml", GatewayHarness.serviceEntry("shadow", Map.of("v1", shadow.port())));
        GatewayHarness.write(config, "half.yaml", GatewayHarness.serviceEntry("half", Map.of("v1", half.port())));
        GatewayHarness.write(config, "hang.yaml", GatewayHarness.serviceEntry("hang", Map.of("v1", hang.port())));
        GatewayHarness.write(config, "secure.yaml", GatewayHarness.serviceEntry("secure",
                Map.of("v1", secure.port())).replace("protocol: HTTP", "protocol: HTTP2"));
        GatewayHarness.write(config, "down.yaml", GatewayHarness.serviceEntry("down", Map.of("v1", closedPort)));
        GatewayHarness.write(config, "pair.yaml", GatewayHarness.serviceEntry("pair",
                Map.of("a", pairA.port(), "b", pairB.port())) + """
                ---
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: pair, namespace: default}
                spec:
                  host: pair
                  trafficPolicy: {loadBalancer: {simple: ROUND_ROBIN}}
                """);
        gateway = new GatewayHarness(config, "--gateway.mirror.timeout=3s");
        reserved.close();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        for (AutoCloseable backend : List.<AutoCloseable>of(orders, shadow, half, hang, pairA, pairB,
                secure)) {
            try {
                backend.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void mirrorsEveryRequestWithShadowHostWhileTheClientGetsTheMainAnswer() {
        int total = 50;
        for (int i = 0; i < total; i++) {
            Answer answer = get("/all/each/" + i + "?n=" + i);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("x-backend")).isEqualTo("orders");
            assertThat(answer.body()).isEqualTo("orders GET /all/each/" + i + "?n=" + i);
            assertThat(answer.header("x-echo-host")).isEqualTo("api.mystore.com");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> shadow.seen("/all/each/").size() == total);
        assertThat(shadow.seen("/all/each/")).allSatisfy(seen -> {
            assertThat(seen.method()).isEqualTo("GET");
            assertThat(seen.host()).isEqualTo("api.mystore.com-shadow");
        });
        assertThat(shadow.seen("/all/each/").stream().map(ShadowBackend.Seen::uri))
                .contains("/all/each/0?n=0", "/all/each/49?n=49");
    }

    @Test
    void mirrorsOverTlsAndHttp2WhenTheMirrorClusterAsksForThem() {
        assertThat(get("/secure/1").status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> secure.seen("/secure/1").size() == 1);
        ShadowBackend.Seen seen = secure.seen("/secure/1").get(0);
        assertThat(seen.version()).isEqualTo("HTTP/2.0");
        assertThat(seen.host()).isEqualTo("api.mystore.com-shadow");
    }

    @Test
    void mirrorsTheRequestAsRewrittenForTheBackend() {
        assertThat(get("/legacy/items/7").body()).isEqualTo("orders GET /v2/items/7");

        await().atMost(Duration.ofSeconds(10)).until(() -> shadow.seen("/v2/items/7").size() == 1);
        assertThat(shadow.seen("/v2/items/7").get(0).host()).isEqualTo("orders.internal-shadow");
    }

    @Test
    void mirrorsBodiesUpToTheLimitAndSkipsChunkedAndLargerOnes() {
        assertThat(post("/all/small", Mono.just("hello mirror"), true).body()).isEqualTo("orders POST /all/small");
        assertThat(post("/all/chunked", Flux.just("a", "b"), false).status()).isEqualTo(200);
        assertThat(post("/all/large", Mono.just("x".repeat(70_000)), true).status()).isEqualTo(200);
        get("/all/marker");

        await().atMost(Duration.ofSeconds(10)).until(() -> shadow.seen("/all/marker").size() == 1
                && shadow.seen("/all/small").size() == 1);
        assertThat(shadow.seen("/all/small")).singleElement()
                .satisfies(seen -> assertThat(seen.body()).isEqualTo("hello mirror"));
        assertThat(shadow.seen("/all/chunked")).isEmpty();
        assertThat(shadow.seen("/all/large")).isEmpty();
    }

    @Test
    void aHangingOrDownMirrorNeitherDelaysNorFailsTheMainAnswer() {
        for (String path : List.of("/hang/", "/down/")) {
            for (int i = 0; i < 40; i++) {
                long start = System.nanoTime();
                Answer answer = get(path + i);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("orders GET " + path + i);
                assertThat(millis).as("%s%d answered in %d ms", path, i, millis).isLessThan(1_000);
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hang.seen("/hang/").size() == 40);
    }

    @Test
    void mirrorsHalfTheRequestsWithinThreePoints() {
        int total = 4_000;
        for (int i = 0; i < total; i++) {
            assertThat(get("/half/" + i).status()).isEqualTo(200);
        }
        int mirrored = settledCount(() -> half.seen("/half/").size());
        assertThat(100.0 * mirrored / total).isCloseTo(50.0, within(3.0));
    }

    @Test
    void picksMirrorEndpointsByTheDestinationRuleOfTheMirror() {
        for (int i = 0; i < 20; i++) {
            get("/pair/" + i);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pairA.seen("/pair/").size() + pairB.seen("/pair/").size() == 20);
        assertThat(pairA.seen("/pair/")).hasSize(10);
        assertThat(pairB.seen("/pair/")).hasSize(10);
    }

    @Test
    void aMirrorWithoutEndpointsIsSkipped() {
        Answer answer = get("/empty/1");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("orders GET /empty/1");
    }

    /** A response, read whole. */
    record Answer(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private static Answer get(String path) {
        return gateway.client("api.mystore.com").get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(),
                                text)))
                .block();
    }

    private static Answer post(String path, org.reactivestreams.Publisher<String> body,
            boolean withLength) {
        HttpClient client = gateway.client("api.mystore.com");
        if (withLength) {
            String whole = Flux.from(body).collectList().map(parts -> String.join("", parts)).block();
            client = client.headers(h -> h.set("content-length", whole.getBytes(StandardCharsets.UTF_8).length));
            body = Mono.just(whole);
        }
        return client.post().uri(path)
                .send(ByteBufFlux.fromString(body))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(),
                                text)))
                .block();
    }

    /** The count once it has stopped changing: mirrors arrive after the answers they shadow. */
    private static int settledCount(java.util.function.IntSupplier count) {
        AtomicInteger last = new AtomicInteger(-1);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
            int current = count.getAsInt();
            return last.getAndSet(current) == current;
        });
        return count.getAsInt();
    }
}
