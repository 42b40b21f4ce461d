package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Paths are normalized once, before routing (Istio's default {@code pathNormalization: BASE}), and the backend
 * receives the normalized path: dot segments and escaped dots cannot reach {@code /admin} through the
 * {@code /orders} rule, nor pass an {@code /admin} rule unnormalized. Requests are written on raw sockets, so no
 * client cleans the path first.
 */
class PathNormalizationRoutingTest {

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shop, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /admin}}]
                route:
                - destination: {host: admin}
              - match: [{uri: {prefix: /shop/}}]
                rewrite: {uri: /}
                route:
                - destination: {host: orders}
              - match: [{uri: {prefix: /mirrored/}}]
                route:
                - destination: {host: orders}
                mirrors: [{destination: {host: shadow}, percentage: {value: 100}}]
              - match: [{uri: {prefix: /orders}}]
                route:
                - destination: {host: orders}
            """;

    @TempDir
    static Path config;
    private static TestBackend admin;
    private static TestBackend orders;
    private static ShadowBackend shadow;
    private static final Map<String, GatewayHarness> GATEWAYS = new HashMap<>();

    @BeforeAll
    static void start() {
        admin = new TestBackend("admin");
        orders = new TestBackend("orders");
        shadow = new ShadowBackend(false);
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.mystore.com"));
        GatewayHarness.write(config, "admin.yaml", GatewayHarness.serviceEntry("admin", Map.of("v1", admin.port())));
        GatewayHarness.write(config, "orders.yaml",
                GatewayHarness.serviceEntry("orders", Map.of("v1", orders.port())));
        GatewayHarness.write(config, "shadow.yaml",
                GatewayHarness.serviceEntry("shadow", Map.of("v1", shadow.port())));
        GatewayHarness.write(config, "routes.yaml", ROUTES);
    }

    @AfterAll
    static void stop() {
        GATEWAYS.values().forEach(GatewayHarness::close);
        admin.close();
        orders.close();
        shadow.close();
    }

    /** One gateway per option, started when first needed; the default when {@code option} is empty. */
    private static GatewayHarness gateway(String option) {
        return GATEWAYS.computeIfAbsent(option, o -> o.isEmpty() ? new GatewayHarness(config)
                : new GatewayHarness(config, "--gateway.path-normalization=" + o));
    }

    /** The four attacks and their variants: routed by, and forwarded as, the normalized path. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "/orders/../admin admin:/admin",
        "/../admin admin:/admin",
        "/./admin admin:/admin",
        "/%2e%2e/admin admin:/admin",
        "/orders/%2E%2e/admin/users?id=7 admin:/admin/users?id=7",
        "/orders/.%2e/admin admin:/admin",
        "/orders/./%2e/admin orders:/orders/admin",
        "/admin/../orders/1 orders:/orders/1",
        "/%61dmin admin:/admin",
        "/orders/7/. orders:/orders/7/",
        "/orders/..%2fadmin orders:/orders/..%2Fadmin",
        "/orders//7?a=../b orders:/orders//7?a=../b",
        "/shop/a/../items shop:/items",
    })
    void baseNormalizesBeforeRoutingAndForwardsTheNormalizedPath(String path, String expected) {
        assertThat(get(gateway(""), path)).isEqualTo(answer(expected));
    }

    @Test
    void theMirrorReceivesTheNormalizedPathToo() {
        assertThat(get(gateway(""), "/mirrored/a/../%2e/b%7e?q=..")).isEqualTo("200 orders GET /mirrored/b~?q=..");

        await().atMost(Duration.ofSeconds(10)).until(() -> !shadow.seen("/mirrored/").isEmpty());
        assertThat(shadow.seen().stream().map(ShadowBackend.Seen::uri)).containsExactly("/mirrored/b~?q=..");
    }

    /**
     * {@code %00} cannot be normalized (Envoy answers 400 too); a raw backslash, a malformed escape or a raw space
     * is refused by the HTTP layer before routing, since a URI may not hold them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/orders/%00/x", "/orders/a%00", "/orders\\..\\admin", "/admin%zz", "/a b"})
    void aPathThatCannotBeNormalizedIsRefused(String path) {
        int before = admin.requests() + orders.requests();

        assertThat(get(gateway(""), path)).startsWith("400 ");
        assertThat(admin.requests() + orders.requests()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "/orders/..%2fadmin admin:/admin",
        "/orders/%2e%2e%5cadmin admin:/admin",
        "//admin admin:/admin",
        "/orders//7 orders:/orders/7",
        "/orders/%2F7 orders:/orders/7",
    })
    void decodeAndMergeSlashesAlsoDecodesEscapedSlashesAndMergesThem(String path, String expected) {
        assertThat(get(gateway("DECODE_AND_MERGE_SLASHES"), path)).isEqualTo(answer(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ' ', value = {
        "/orders/../admin orders:/orders/../admin",
        "/%2e%2e/admin 404",
    })
    void noneRoutesAndForwardsThePathAsReceived(String path, String expected) {
        // relaxed binding: the option may be written in lower case
        assertThat(get(gateway("none"), path)).isEqualTo(expected.equals("404") ? "404 " : answer(expected));
    }

    /** "backend:/path" as the gateway's answer: status and the test backend's body. */
    private static String answer(String expected) {
        String backend = expected.substring(0, expected.indexOf(':'));
        String path = expected.substring(expected.indexOf(':') + 1);
        return "200 " + (backend.equals("shop") ? "orders" : backend) + " GET " + path;
    }

    /** A GET on a raw socket; the status and the body. */
    private static String get(GatewayHarness gateway, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.port(80)), 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: api.mystore.com\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String status = response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3);
            int headersEnd = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, headersEnd).toLowerCase(Locale.ROOT);
            String body = response.substring(headersEnd + 4);
            return status + " " + (headers.contains("transfer-encoding: chunked") ? dechunked(body) : body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String dechunked(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", i);
            int size = Integer.parseInt(body.substring(i, lineEnd).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            i = lineEnd + 2 + size + 2;
        }
    }
}
