package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;

/**
 * Every Istio match type through the running gateway: each rule answers a direct response naming itself, so the
 * answer says which rule matched. Also the fault percentages over thousands of requests.
 */
class MatchTypesTest {

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: ["*.example.com"]
              - port: {number: 8080, name: http-alt, protocol: HTTP}
                hosts: ["*.example.com"]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: matches, namespace: default}
            spec:
              hosts: [match.example.com]
              gateways: [edge]
              http:
              - match: [{uri: {exact: /exact}}]
                directResponse: {status: 200, body: {string: uri-exact}}
              - match: [{uri: {regex: "/items/[0-9]+"}}]
                directResponse: {status: 200, body: {string: uri-regex}}
              - match: [{uri: {prefix: /CaSe}, ignoreUriCase: true}]
                directResponse: {status: 200, body: {string: ignore-case}}
              - match: [{uri: {prefix: /m}, method: {exact: DELETE}}]
                directResponse: {status: 200, body: {string: method}}
              - match: [{uri: {prefix: /q}, queryParams: {debug: {exact: "1"}}}]
                directResponse: {status: 200, body: {string: query-exact}}
              - match: [{uri: {prefix: /q}, queryParams: {trace: {regex: "[a-z]+"}}}]
                directResponse: {status: 200, body: {string: query-regex}}
              - match: [{uri: {prefix: /h}, headers: {x-user: {prefix: admin-}}}]
                directResponse: {status: 200, body: {string: header-prefix}}
              - match: [{uri: {prefix: /h}, headers: {x-token: {}}}]
                directResponse: {status: 200, body: {string: header-present}}
              - match: [{uri: {prefix: /h}, withoutHeaders: {x-beta: {exact: "on"}}}]
                directResponse: {status: 200, body: {string: without-header}}
              - match: [{uri: {prefix: /p}, port: 8080}]
                directResponse: {status: 200, body: {string: port-8080}}
              - match: [{uri: {prefix: /a}, authority: {exact: "match.example.com"}}]
                directResponse: {status: 200, body: {string: authority}}
              - match: [{uri: {prefix: /s}, scheme: {exact: http}}]
                directResponse: {status: 200, body: {string: scheme}}
              - match: [{uri: {prefix: /or1}}, {uri: {prefix: /or2}}]
                directResponse: {status: 200, body: {string: or-blocks}}
              - directResponse: {status: 200, body: {string: catch-all}}
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: faults, namespace: default}
            spec:
              hosts: [fault.example.com]
              gateways: [edge]
              http:
              - fault: {abort: {httpStatus: 503, percentage: {value: 10}}}
                directResponse: {status: 200, body: {string: ok}}
            """;

    @TempDir
    static Path config;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void everyMatchTypeSelectsItsRule() {
        assertThat(body("GET", "/exact", Map.of())).isEqualTo("uri-exact");
        assertThat(body("GET", "/exact/more", Map.of())).isEqualTo("catch-all");
        assertThat(body("GET", "/items/42", Map.of())).isEqualTo("uri-regex");
        assertThat(body("GET", "/items/42x", Map.of())).isEqualTo("catch-all");
        assertThat(body("GET", "/case/IS/ignored", Map.of())).isEqualTo("ignore-case");
        assertThat(body("DELETE", "/m", Map.of())).isEqualTo("method");
        assertThat(body("GET", "/m", Map.of())).isEqualTo("catch-all");
        assertThat(body("GET", "/q?debug=1", Map.of())).isEqualTo("query-exact");
        assertThat(body("GET", "/q?trace=abc", Map.of())).isEqualTo("query-regex");
        assertThat(body("GET", "/q?trace=ABC", Map.of())).isEqualTo("catch-all");
        assertThat(body("GET", "/h", Map.of("x-user", "admin-ann"))).isEqualTo("header-prefix");
        assertThat(body("GET", "/h", Map.of("x-token", "t"))).isEqualTo("header-present");
        assertThat(body("GET", "/h", Map.of())).isEqualTo("without-header");
        assertThat(body("GET", "/h", Map.of("x-beta", "on"))).isEqualTo("catch-all");
        assertThat(body("GET", "/a", Map.of())).isEqualTo("authority");
        assertThat(body("GET", "/s", Map.of())).isEqualTo("scheme");
        assertThat(body("GET", "/or1", Map.of())).isEqualTo("or-blocks");
        assertThat(body("GET", "/or2", Map.of())).isEqualTo("or-blocks");
    }

    @Test
    void portConditionsSeeTheGatewayPortNotTheLocalOne() {
        assertThat(body("GET", "/p", Map.of())).isEqualTo("catch-all");
        String onAltPort = HttpClient.create().headers(h -> h.set("Host", "match.example.com"))
                .get().uri("http://127.0.0.1:" + gateway.port(8080) + "/p")
                .responseContent().aggregate().asString().block();
        assertThat(onAltPort).isEqualTo("port-8080");
    }

    @Test
    void servesHttp2WithPriorKnowledge() {
        String answer = gateway.client("match.example.com").protocol(HttpProtocol.H2C)
                .get().uri("/exact").responseContent().aggregate().asString().block();

        assertThat(answer).isEqualTo("uri-exact");
    }

    @Test
    void abortsTheConfiguredPercentageWithinTwoPoints() {
        HttpClient client = gateway.client("fault.example.com");
        int aborted = 0;
        int total = 5_000;
        for (int i = 0; i < total; i++) {
            int status = client.get().uri("/")
                    .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                    .block();
            if (status == 503) {
                aborted++;
            } else {
                assertThat(status).isEqualTo(200);
            }
        }
        assertThat(100.0 * aborted / total).isCloseTo(10.0, within(2.0));
    }

    private static String body(String method, String path, Map<String, String> headers) {
        return gateway.client("match.example.com")
                .headers(h -> headers.forEach(h::set))
                .request(io.netty.handler.codec.http.HttpMethod.valueOf(method)).uri(path)
                .responseContent().aggregate().asString().defaultIfEmpty("").block();
    }
}
