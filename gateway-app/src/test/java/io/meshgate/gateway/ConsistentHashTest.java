package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshgate.gateway.ScriptedBackend.Behavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

/**
 * DestinationRule {@code consistentHash} through the gateway, with real backends: a header keeps each user on one
 * endpoint, and when an endpoint leaves only its users move (ring hash); a cookie issued with {@code ttl} pins a
 * client that had none.
 */
class ConsistentHashTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: sticky, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /header}}]
                route: [{destination: {host: byheader}}]
              - match: [{uri: {prefix: /cookie}}]
                route: [{destination: {host: bycookie}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: byheader, namespace: default}
            spec:
              host: byheader.default.svc.cluster.local
              trafficPolicy:
                loadBalancer:
                  consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 4096}}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: bycookie, namespace: default}
            spec:
              host: bycookie.default.svc.cluster.local
              trafficPolicy:
                loadBalancer:
                  consistentHash: {httpCookie: {name: affinity, path: /, ttl: 60s}, maglev: {tableSize: 65537}}
            """;

    @TempDir
    static Path config;
    private static final Map<String, ScriptedBackend> backends = new TreeMap<>();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        for (String name : List.of("h1", "h2", "h3", "h4", "c1", "c2", "c3")) {
            backends.put(name, new ScriptedBackend(name, Behavior.OK));
        }
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "byheader.yaml", entry("byheader", "h1", "h2", "h3", "h4"));
        GatewayHarness.write(config, "bycookie.yaml", entry("bycookie", "c1", "c2", "c3"));
        gateway = new GatewayHarness(config);
    }

    private static String entry(String service, String... members) {
        Map<String, Integer> ports = new TreeMap<>();
        for (String member : members) {
            ports.put(member, backends.get(member).port());
        }
        return GatewayHarness.serviceEntry(service, ports);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.values().forEach(ScriptedBackend::close);
    }

    private record Answer(String backend, String setCookie) {
    }

    private static Answer get(String path, String header, String value) {
        return HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> {
                    h.set("Host", "sticky.example.com");
                    if (value != null) {
                        h.set(header, value);
                    }
                })
                .responseTimeout(Duration.ofSeconds(5))
                .get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> new Answer(
                        String.valueOf(response.responseHeaders().get("x-backend")),
                        String.valueOf(response.responseHeaders().get("set-cookie")))))
                .block(Duration.ofSeconds(10));
    }

    private static Map<String, String> placeUsers() {
        Map<String, String> placed = new HashMap<>();
        for (int user = 0; user < 200; user++) {
            placed.put("user-" + user, get("/header", "x-user", "user-" + user).backend());
        }
        return placed;
    }

    @Test
    void aHeaderKeepsEachUserOnOneEndpointAndOnlyTheUsersOfALeavingEndpointMove() {
        Map<String, String> first = placeUsers();
        assertThat(placeUsers()).isEqualTo(first);
        assertThat(first.values()).contains("h1", "h2", "h3", "h4");

        GatewayHarness.write(config, "byheader.yaml", entry("byheader", "h1", "h2", "h3"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !placeUsers().containsValue("h4"));
        Map<String, String> after = placeUsers();

        first.forEach((user, backend) -> {
            if (!backend.equals("h4")) {
                assertThat(after.get(user)).as(user).isEqualTo(backend);
            }
        });
    }

    @Test
    void aCookieIsIssuedToAClientWithoutOneAndPinsItsLaterRequests() {
        Answer issued = get("/cookie", "Cookie", null);
        assertThat(issued.setCookie()).startsWith("affinity=").contains("Path=/").contains("Max-Age=60")
                .contains("HttpOnly");
        String cookie = issued.setCookie().substring(0, issued.setCookie().indexOf(';'));

        for (int i = 0; i < 20; i++) {
            Answer pinned = get("/cookie", "Cookie", cookie);
            assertThat(pinned.backend()).isEqualTo(issued.backend());
            assertThat(pinned.setCookie()).isEqualTo("null");
        }
    }
}
