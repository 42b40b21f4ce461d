package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClientResponse;

/** Istio's {@code corsPolicy} end to end, as Envoy's CORS filter answers: real gateway, real backend on 127.0.0.1. */
class CorsTest {

    private static final String SHOP = "https://shop.example.com";

    private static final String ROUTES = GatewayHarness.gatewayOn80("api.mystore.com") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: store, namespace: default}
            spec:
              hosts: [api.mystore.com]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /exact}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://shop.example.com"}]
                  allowMethods: [GET, POST]
                  allowHeaders: [content-type, x-token]
                  exposeHeaders: [x-total, x-page]
                  maxAge: 24h
                  allowCredentials: true
                route: [{destination: {host: orders}}]
              - match: [{uri: {prefix: /prefix}}]
                corsPolicy:
                  allowOrigins: [{prefix: "https://dev."}]
                  allowMethods: [GET]
                  maxAge: 90s
                route: [{destination: {host: orders}}]
              - match: [{uri: {prefix: /regex}}]
                corsPolicy:
                  allowOrigins: [{regex: 'https://[a-z]+\\.example\\.org'}]
                  allowMethods: ["*"]
                  allowHeaders: ["*"]
                  unmatchedPreflights: IGNORE
                route: [{destination: {host: orders}}]
              - match: [{uri: {prefix: /anyone}}]
                corsPolicy:
                  allowOrigins: [{exact: "*"}]
                  allowMethods: [GET]
                route: [{destination: {host: orders}}]
              - match: [{uri: {prefix: /teapot}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://shop.example.com"}]
                directResponse: {status: 418, body: {string: "short and stout"}}
              - match: [{uri: {prefix: /get-only}, method: {exact: GET}}]
                corsPolicy:
                  allowOrigins: [{exact: "https://shop.example.com"}]
                route: [{destination: {host: orders}}]
              - match: [{uri: {prefix: /plain}}]
                route: [{destination: {host: orders}}]
            """;

    @TempDir
    static Path config;
    private static TestBackend orders;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        orders = new TestBackend("orders");
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "orders.yaml", GatewayHarness.serviceEntry("orders", Map.of("v1", orders.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        orders.close();
    }

    @Test
    void answersAPreflightFromAnExactOriginItselfWithEveryPolicyHeader() {
        int before = orders.requests();
        Answer answer = preflight("/exact/items", SHOP, "POST", "content-type");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.header("x-backend")).isNull();
        assertThat(orders.requests()).isEqualTo(before);
        assertThat(answer.header("access-control-allow-origin")).isEqualTo(SHOP);
        assertThat(answer.header("access-control-allow-methods")).isEqualTo("GET,POST");
        assertThat(answer.header("access-control-allow-headers")).isEqualTo("content-type,x-token");
        assertThat(answer.header("access-control-max-age")).isEqualTo("86400");
        assertThat(answer.header("access-control-allow-credentials")).isEqualTo("true");
        assertThat(answer.header("access-control-expose-headers")).isNull();
    }

    @Test
    void answersPreflightsFromPrefixAndRegexOrigins() {
        Answer prefix = preflight("/prefix", "https://dev.shop.example.com", "GET", null);
        assertThat(prefix.status()).isEqualTo(200);
        assertThat(prefix.header("x-backend")).isNull();
        assertThat(prefix.header("access-control-allow-origin")).isEqualTo("https://dev.shop.example.com");
        assertThat(prefix.header("access-control-allow-methods")).isEqualTo("GET");
        assertThat(prefix.header("access-control-max-age")).isEqualTo("90");
        assertThat(prefix.header("access-control-allow-credentials")).isNull();

        // a list of just "*" echoes what the preflight asks for
        Answer regex = preflight("/regex", "https://api.example.org", "PUT", "x-a,x-b");
        assertThat(regex.status()).isEqualTo(200);
        assertThat(regex.header("x-backend")).isNull();
        assertThat(regex.header("access-control-allow-origin")).isEqualTo("https://api.example.org");
        assertThat(regex.header("access-control-allow-methods")).isEqualTo("PUT");
        assertThat(regex.header("access-control-allow-headers")).isEqualTo("x-a,x-b");
        assertThat(regex.header("access-control-max-age")).isNull();
    }

    @Test
    void anExactStarAllowsEveryOrigin() {
        Answer answer = preflight("/anyone", "https://whoever.test", "GET", null);

        assertThat(answer.header("x-backend")).isNull();
        assertThat(answer.header("access-control-allow-origin")).isEqualTo("https://whoever.test");
    }

    @Test
    void forwardsAnUnmatchedPreflightUnchangedByDefault() {
        Answer answer = preflight("/prefix", "https://evil.example.com", "DELETE", "x-token");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isEqualTo("orders");
        assertThat(answer.body()).isEqualTo("orders OPTIONS /prefix");
        assertThat(answer.header("x-echo-origin")).isEqualTo("https://evil.example.com");
        assertThat(answer.header("x-echo-access-control-request-method")).isEqualTo("DELETE");
        assertThat(answer.header("x-echo-access-control-request-headers")).isEqualTo("x-token");
        assertThat(answer.header("access-control-allow-origin")).isNull();
    }

    @Test
    void answersAnUnmatchedPreflightWithoutAllowOriginWhenIgnored() {
        int before = orders.requests();
        // the regex must match the whole origin
        Answer answer = preflight("/regex", "https://api.example.org.evil.com", "GET", null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isNull();
        assertThat(orders.requests()).isEqualTo(before);
        assertThat(answer.header("access-control-allow-origin")).isNull();
    }

    @Test
    void addsAllowOriginExposeHeadersAndCredentialsToAnAllowedActualRequest() {
        Answer answer = send("GET", "/exact/items", Map.of("origin", SHOP));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-backend")).isEqualTo("orders");
        assertThat(answer.header("access-control-allow-origin")).isEqualTo(SHOP);
        assertThat(answer.header("access-control-expose-headers")).isEqualTo("x-total,x-page");
        assertThat(answer.header("access-control-allow-credentials")).isEqualTo("true");
        assertThat(answer.header("access-control-allow-methods")).isNull();
        assertThat(answer.header("access-control-max-age")).isNull();
    }

    @Test
    void leavesARequestFromAnotherOriginAlone() {
        Answer answer = send("POST", "/exact/items", Map.of("origin", "https://evil.example.com"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("orders POST /exact/items");
        assertThat(answer.header("access-control-allow-origin")).isNull();
        assertThat(answer.header("access-control-allow-credentials")).isNull();
        assertThat(answer.header("access-control-expose-headers")).isNull();
    }

    @Test
    void addsAllowOriginToALocalAnswer() {
        Answer answer = send("GET", "/teapot", Map.of("origin", SHOP));

        assertThat(answer.status()).isEqualTo(418);
        assertThat(answer.header("access-control-allow-origin")).isEqualTo(SHOP);
    }

    @Test
    void forwardsAPreflightOnARouteWithoutPolicy() {
        Answer answer = preflight("/plain", SHOP, "GET", null);

        assertThat(answer.header("x-backend")).isEqualTo("orders");
        assertThat(answer.header("x-echo-access-control-request-method")).isEqualTo("GET");
    }

    @Test
    void routesAPreflightLikeAnyRequest() {
        // the route takes GET only, so an OPTIONS preflight matches no route, as in Envoy
        assertThat(preflight("/get-only", SHOP, "GET", null).status()).isEqualTo(404);
        assertThat(send("GET", "/get-only", Map.of("origin", SHOP)).header("access-control-allow-origin"))
                .isEqualTo(SHOP);
    }

    /** A response, read whole. */
    record Answer(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private static Answer preflight(String path, String origin, String method, String requestHeaders) {
        Map<String, String> headers = requestHeaders == null
                ? Map.of("origin", origin, "access-control-request-method", method)
                : Map.of("origin", origin, "access-control-request-method", method,
                        "access-control-request-headers", requestHeaders);
        return send("OPTIONS", path, headers);
    }

    private static Answer send(String method, String path, Map<String, String> headers) {
        return gateway.client("api.mystore.com")
                .headers(h -> headers.forEach(h::set))
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method))
                .uri(path)
                .responseSingle((HttpClientResponse response, reactor.netty.ByteBufMono body) -> body.asString()
                        .defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(), text)))
                .block();
    }
}
