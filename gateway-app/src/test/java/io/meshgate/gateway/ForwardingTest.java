package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/** The data path end to end: real gateway, real backends on 127.0.0.1, one request at a time. */
class ForwardingTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("api.mystore.com") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: store, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /orders}}]
                route:
                - destination: {host: orders, subset: v1}
                  weight: 90
                - destination: {host: orders, subset: v2}
                  weight: 10
              - match: [{uri: {exact: /old}}]
                redirect: {uri: /new, redirectCode: 302}
              - match: [{uri: {exact: /moved-but-aborted}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                redirect: {uri: /new}
              - match: [{uri: {exact: /moved-with-policies}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://shop.example"}]
                  allowMethods: [GET]
                headers: {response: {add: {x-moved: "yes"}}}
                redirect: {uri: /new}
              - match: [{uri: {prefix: /teapot}}]
                directResponse: {status: 418, body: {string: "short and stout"}}
              - match: [{uri: {prefix: /headers}}]
                headers:
                  request: {set: {x-route: rule}, remove: [x-drop-me]}
                  response: {add: {x-answer: added}}
                route:
                - destination: {host: orders, subset: v1}
                  headers: {request: {set: {x-destination: v1}}}
              - match: [{uri: {prefix: /legacy/}}]
                rewrite: {uri: /api/v2/, authority: orders.internal}
                route:
                - destination: {host: orders, subset: v1}
              - match: [{uri: {prefix: /regex}}]
                rewrite: {uriRegexRewrite: {match: "^/regex/([a-z]+)/(\\\\d+)$", rewrite: "/items/\\\\2/\\\\1"}}
                route:
                - destination: {host: orders, subset: v1}
              - match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                route:
                - destination: {host: orders, subset: v1}
              - match: [{uri: {prefix: /empty}}]
                route:
                - destination: {host: nobody}
              - match: [{uri: {prefix: /down}}]
                route:
                - destination: {host: down}
              - match: [{headers: {x-canary: {exact: "yes"}}}]
                route:
                - destination: {host: orders, subset: v2}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: orders, namespace: default}
            spec:
              host: orders
              subsets:
              - {name: v1, labels: {version: v1}}
              - {name: v2, labels: {version: v2}}
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
    private static TestBackend v1;
    private static TestBackend v2;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws IOException {
        v1 = new TestBackend("orders-v1");
        v2 = new TestBackend("orders-v2");
        // held while the gateway binds its own free ports, so that none of them can be this one, then closed
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            GatewayHarness.write(config, "routes.yaml", ROUTES);
            GatewayHarness.write(config, "orders.yaml", GatewayHarness.serviceEntry("orders",
                    Map.of("v1", v1.port(), "v2", v2.port())));
            GatewayHarness.write(config, "down.yaml", GatewayHarness.serviceEntry("down",
                    Map.of("v1", socket.getLocalPort())));
            gateway = new GatewayHarness(config);
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
        v1.close();
        v2.close();
    }

    @Test
    void splitsNinetyTenWithinTwoPointsOverFiveThousandRequests() {
        HttpClient client = gateway.client("api.mystore.com");
        int toV1 = 0;
        int total = 5_000;
        for (int i = 0; i < total; i++) {
            String backend = client.get().uri("/orders/" + i)
                    .responseSingle((response, body) -> body.then(reactor.core.publisher.Mono.justOrEmpty(
                            response.responseHeaders().get("x-backend"))))
                    .block();
            if ("orders-v1".equals(backend)) {
                toV1++;
            } else {
                assertThat(backend).isEqualTo("orders-v2");
            }
        }
        assertThat(100.0 * toV1 / total).isCloseTo(90.0, within(2.0));
    }

    @Test
    void forwardsPathQueryAndOriginalHost() {
        Answer answer = get("api.mystore.com", "/orders/42?full=true");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).endsWith("GET /orders/42?full=true");
        assertThat(answer.header("x-echo-host")).isEqualTo("api.mystore.com");
    }

    @Test
    void unknownHostIsNotFoundAndMissingHostIsBadRequest() throws IOException {
        assertThat(get("nobody.example.com", "/orders").status()).isEqualTo(404);
        assertThat(get("api.mystore.com", "/nothing-here").status()).isEqualTo(404);
        assertThat(rawStatusLine("GET /orders HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 400");
    }

    @Test
    void redirectsAndRespondsDirectly() {
        Answer redirect = get("api.mystore.com", "/old?x=1");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("location")).isEqualTo("http://api.mystore.com/new?x=1");

        Answer direct = get("api.mystore.com", "/teapot");
        assertThat(direct.status()).isEqualTo(418);
        assertThat(direct.body()).isEqualTo("short and stout");
    }

    @Test
    void aRedirectComesAfterThePoliciesOfItsRule() {
        Answer aborted = get("api.mystore.com", "/moved-but-aborted");
        assertThat(aborted.status()).isEqualTo(503);
        assertThat(aborted.body()).isEqualTo("fault filter abort");
        assertThat(aborted.header("location")).isNull();

        Answer moved = send("api.mystore.com", "/moved-with-policies", Map.of("Origin", "https://shop.example"));
        assertThat(moved.status()).isEqualTo(301);
        assertThat(moved.header("location")).isEqualTo("http://api.mystore.com/new");
        assertThat(moved.header("x-moved")).isEqualTo("yes");
        assertThat(moved.header("access-control-allow-origin")).isEqualTo("https://shop.example");
    }

    @Test
    void appliesRouteAndDestinationHeaderOperations() {
        Answer answer = send("api.mystore.com", "/headers", Map.of("x-drop-me", "1", "x-keep", "2"));

        assertThat(answer.header("x-echo-x-route")).isEqualTo("rule");
        assertThat(answer.header("x-echo-x-destination")).isEqualTo("v1");
        assertThat(answer.header("x-echo-x-keep")).isEqualTo("2");
        assertThat(answer.header("x-echo-x-drop-me")).isNull();
        assertThat(answer.header("x-answer")).isEqualTo("added");
    }

    @Test
    void rewritesPrefixAuthorityAndRegex() {
        Answer prefix = get("api.mystore.com", "/legacy/items/7");
        assertThat(prefix.body()).endsWith("GET /api/v2/items/7");
        assertThat(prefix.header("x-echo-host")).isEqualTo("orders.internal");

        assertThat(get("api.mystore.com", "/regex/books/12").body()).endsWith("GET /items/12/books");
    }

    @Test
    void matchesOnHeaders() {
        assertThat(send("api.mystore.com", "/anything", Map.of("x-canary", "yes")).header("x-backend"))
                .isEqualTo("orders-v2");
    }

    @Test
    void answersFaultsAndMissingEndpointsAsEnvoyDoes() {
        Answer abort = get("api.mystore.com", "/abort");
        assertThat(abort.status()).isEqualTo(503);
        assertThat(abort.body()).isEqualTo("fault filter abort");

        Answer empty = get("api.mystore.com", "/empty");
        assertThat(empty.status()).isEqualTo(503);
        assertThat(empty.body()).isEqualTo("no healthy upstream");

        Answer down = get("api.mystore.com", "/down");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.body()).startsWith("upstream connect error");
    }

    @Test
    void exportsIstioMetricsWithResponseFlags() {
        get("api.mystore.com", "/empty");
        get("nobody.example.com", "/");
        String metrics = HttpClient.create().get()
                .uri("http://127.0.0.1:" + gateway.managementPort() + "/actuator/prometheus")
                .responseContent().aggregate().asString().block();

        assertThat(metrics).contains("istio_requests_total{")
                .contains("response_flags=\"UH\"")
                .contains("response_flags=\"NR\"")
                .contains("destination_service=\"nobody.default.svc.cluster.local\"")
                .contains("istio_request_duration_milliseconds_bucket{")
                .doesNotContain("istio_request_duration_milliseconds_seconds");
    }

    /** A response, read whole. */
    record Answer(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private static Answer get(String host, String path) {
        return send(host, path, Map.of());
    }

    private static Answer send(String host, String path, Map<String, String> headers) {
        return gateway.client(host)
                .headers(h -> headers.forEach(h::set))
                .get().uri(path)
                .responseSingle((HttpClientResponse response, reactor.netty.ByteBufMono body) -> body.asString()
                        .defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(), text)))
                .block();
    }

    private static String rawStatusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", gateway.port(80))) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[256];
            int read = in.read(buffer);
            String text = new String(buffer, 0, Math.max(read, 0), StandardCharsets.US_ASCII);
            return text.lines().findFirst().orElse("");
        }
    }
}
