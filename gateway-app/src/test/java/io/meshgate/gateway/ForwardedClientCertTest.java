package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.TestCertificates.Algorithm;
import io.meshgate.gateway.TestCertificates.Issued;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers only the edge may set never come from an external client: a spoofed {@code x-forwarded-client-cert} or
 * {@code x-envoy-*} header is removed on plain, SIMPLE and MUTUAL servers alike, a MUTUAL server sets XFCC from the
 * certificate the handshake verified (Istio's gateway, SANITIZE_SET), and a trusted proxy's headers are kept.
 */
class ForwardedClientCertTest {

    private static final String GATEWAY_ID = "spiffe://cluster.local/ns/istio-system/sa/ingress";
    private static final String CLIENT_ID = "spiffe://cluster.local/ns/shop/sa/checkout";
    private static final String SPOOFED = "By=" + GATEWAY_ID + ";Hash=00;URI=spiffe://cluster.local/ns/shop/sa/admin";
    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*"]
              - port: {number: 443, name: https-mutual, protocol: HTTPS}
                hosts: [mutual.example.com]
                tls: {mode: MUTUAL, credentialName: mutual-cert}
              - port: {number: 443, name: https-simple, protocol: HTTPS}
                hosts: [simple.example.com]
                tls: {mode: SIMPLE, credentialName: simple-cert}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: all, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - route:
                - destination: {host: recorder}
            """;
    private static final Map<String, String> SPOOFS = Map.of(
            "X-Forwarded-Client-Cert", SPOOFED,
            "x-envoy-retry-on", "5xx",
            "x-envoy-max-retries", "50",
            "x-envoy-upstream-rq-timeout-ms", "1",
            "x-envoy-internal", "true",
            "x-envoy-original-path", "/admin",
            "x-envoy-downstream-service-cluster", "admin",
            "x-envoy-hedge-on-per-try-timeout", "true",
            "x-request-id", "client-chosen-id");

    @TempDir
    static Path config;
    @TempDir
    static Path trustingConfig;
    private static Issued clientCa;
    private static Issued client;
    private static HeaderRecordingBackend backend;
    private static GatewayHarness gateway;
    private static GatewayHarness trusting;
    private static TlsClient tls;

    @BeforeAll
    static void start() {
        Issued ca = TestCertificates.ca("server CA");
        clientCa = TestCertificates.ca("client CA");
        client = TestCertificates.issue(clientCa, "checkout", Algorithm.EC, CLIENT_ID, "checkout.shop.example");
        backend = new HeaderRecordingBackend();
        for (Path dir : List.of(config, trustingConfig)) {
            TestCertificates.issue(ca, "mutual", Algorithm.EC, "mutual.example.com", GATEWAY_ID)
                    .writeSecret(dir.resolve("credentials/mutual-cert"), clientCa);
            TestCertificates.issue(ca, "simple", Algorithm.EC, "simple.example.com")
                    .writeSecret(dir.resolve("credentials/simple-cert"), null);
            GatewayHarness.write(dir, "routes.yaml", CONFIG);
            GatewayHarness.write(dir, "recorder.yaml", GatewayHarness.serviceEntry("recorder",
                    Map.of("v1", backend.port())));
        }
        gateway = new GatewayHarness(config);
        trusting = new GatewayHarness(trustingConfig, "--gateway.forwarding.trusted-proxies=192.0.2.0/24,127.0.0.1");
        tls = new TlsClient(() -> gateway.port(443), ca);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        trusting.close();
        backend.close();
    }

    @Test
    void aPlainClientsSpoofedXfccAndEnvoyHeadersNeverReachTheBackend() {
        Map<String, List<String>> seen = viaPort80(gateway);

        assertThat(seen).doesNotContainKey("x-forwarded-client-cert");
        assertThat(seen.keySet().stream().filter(name -> name.startsWith("x-envoy-")))
                .containsExactly("x-envoy-attempt-count");
        assertThat(seen.get("x-envoy-attempt-count")).containsExactly("1");
        assertThat(seen.get("x-request-id")).singleElement().asString().matches("[0-9a-f-]{36}");
    }

    @Test
    void aMutualServerSetsXfccFromTheVerifiedCertificateOnly() throws Exception {
        Map<String, List<String>> seen;
        try (SSLSocket socket = tls.handshake("mutual.example.com", client, List.of())) {
            seen = viaTls(socket, "mutual.example.com");
        }

        byte[] der = client.certificate().getEncoded();
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        String xfcc = seen.get("x-forwarded-client-cert").get(0);
        assertThat(seen.get("x-forwarded-client-cert")).hasSize(1);
        assertThat(xfcc).startsWith("By=" + GATEWAY_ID + ";Hash=" + hash + ";Cert=\"")
                .endsWith("\";Subject=\"CN=checkout\";URI=" + CLIENT_ID + ";DNS=checkout.shop.example")
                .doesNotContain("sa/admin");
        String pem = URLDecoder.decode(xfcc.substring(xfcc.indexOf("Cert=\"") + 6, xfcc.indexOf("\";Subject")),
                StandardCharsets.US_ASCII);
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))).isEqualTo(der);
        assertThat(seen.keySet().stream().filter(name -> name.startsWith("x-envoy-")))
                .containsExactly("x-envoy-attempt-count");
    }

    @Test
    void aSimpleServerRemovesTheClientsXfccAndSetsNone() throws Exception {
        Map<String, List<String>> seen;
        try (SSLSocket socket = tls.handshake("simple.example.com", null, List.of())) {
            seen = viaTls(socket, "simple.example.com");
        }

        assertThat(seen).doesNotContainKey("x-forwarded-client-cert");
        assertThat(seen.get("x-envoy-max-retries")).isNull();
        assertThat(seen.get("x-forwarded-proto")).containsExactly("https");
    }

    @Test
    void aTrustedProxysHeadersAreKept() {
        Map<String, List<String>> seen = viaPort80(trusting);

        assertThat(seen.get("x-forwarded-client-cert")).containsExactly(SPOOFED);
        assertThat(seen.get("x-envoy-retry-on")).containsExactly("5xx");
        assertThat(seen.get("x-envoy-internal")).containsExactly("true");
        assertThat(seen.get("x-envoy-original-path")).containsExactly("/admin");
        assertThat(seen.get("x-request-id")).containsExactly("client-chosen-id");
        assertThat(seen.get("x-forwarded-proto")).containsExactly("https");
    }

    private static Map<String, List<String>> viaPort80(GatewayHarness target) {
        String body = target.client("shop.example.com")
                .headers(h -> {
                    SPOOFS.forEach(h::set);
                    h.set("x-forwarded-proto", "https");
                })
                .get().uri("/anything").responseContent().aggregate().asString().block(Duration.ofSeconds(10));
        return HeaderRecordingBackend.parse(body);
    }

    private static Map<String, List<String>> viaTls(SSLSocket socket, String host) throws Exception {
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        SPOOFS.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(response).startsWith("HTTP/1.1 200");
        return HeaderRecordingBackend.parse(response.substring(response.indexOf("\r\n\r\n") + 4));
    }
}
