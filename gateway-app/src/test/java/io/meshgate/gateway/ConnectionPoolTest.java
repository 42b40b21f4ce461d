package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.gateway.ScriptedBackend.Behavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * DestinationRule {@code connectionPool} as circuit breaking, against backends that never answer (so the requests
 * in flight stay in flight until the route's timeout): requests over {@code maxConnections} plus
 * {@code http1MaxPendingRequests} get 503 UO at once, requests over {@code http2MaxRequests} too, and the admitted
 * ones, waiting included, end with the route's 504; beyond {@code maxRetries} retries under way, a failed try is not
 * retried and its answer stands (UO).
 */
class ConnectionPoolTest {

    private static final String ROUTES = GatewayHarness.gatewayOn80("*") + """
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: limited, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /connections}}]
                route: [{destination: {host: connections}}]
                timeout: 2s
                retries: {attempts: 0}
              - match: [{uri: {prefix: /retries}}]
                route: [{destination: {host: retries}}]
                timeout: 2s
                retries: {attempts: 2, retryOn: 5xx}
              - match: [{uri: {prefix: /budget}}]
                route: [{destination: {host: budget}}]
                timeout: 2s
                retries: {attempts: 2, retryOn: 5xx}
              - match: [{uri: {prefix: /requests}}]
                route: [{destination: {host: requests}}]
                timeout: 2s
                retries: {attempts: 0}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: connections, namespace: default}
            spec:
              host: connections.default.svc.cluster.local
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 2}
                  http: {http1MaxPendingRequests: 1}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: retries, namespace: default}
            spec:
              host: retries.default.svc.cluster.local
              trafficPolicy:
                connectionPool:
                  http: {maxRetries: 1}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: budget, namespace: default}
            spec:
              host: budget.default.svc.cluster.local
              trafficPolicy:
                retryBudget: {percent: 0, minRetryConcurrency: 1}
            ---
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: requests, namespace: default}
            spec:
              host: requests.default.svc.cluster.local
              trafficPolicy:
                connectionPool:
                  http: {http2MaxRequests: 3}
            """;

    @TempDir
    static Path config;
    private static ScriptedBackend connections;
    private static ScriptedBackend requests;
    private static ScriptedBackend retries;
    private static ScriptedBackend budget;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        connections = new ScriptedBackend("connections", Behavior.HANG);
        requests = new ScriptedBackend("requests", Behavior.HANG);
        retries = new ScriptedBackend("retries", Behavior.FAIL_FIRST_TRY_THEN_HANG);
        budget = new ScriptedBackend("budget", Behavior.FAIL_FIRST_TRY_THEN_HANG);
        GatewayHarness.write(config, "budget.yaml", GatewayHarness.serviceEntry("budget",
                Map.of("v1", budget.port())));
        GatewayHarness.write(config, "retries.yaml", GatewayHarness.serviceEntry("retries",
                Map.of("v1", retries.port())));
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "connections.yaml", GatewayHarness.serviceEntry("connections",
                Map.of("v1", connections.port())));
        GatewayHarness.write(config, "requests.yaml", GatewayHarness.serviceEntry("requests",
                Map.of("v1", requests.port())));
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        connections.close();
        requests.close();
        retries.close();
        budget.close();
    }

    /** Statuses of {@code count} requests sent at once, sorted. */
    private static List<Integer> concurrently(String path, int count) {
        return Flux.range(0, count)
                .flatMap(i -> HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                        .headers(h -> h.set("Host", "limited.example.com")).responseTimeout(Duration.ofSeconds(10))
                        .get().uri(path).responseSingle((response, body) -> body.then()
                                .thenReturn(response.status().code())), count)
                .collectSortedList()
                .block(Duration.ofSeconds(20));
    }

    @Test
    void overMaxConnectionsAndPendingRequestsTheGatewayAnswers503UO() {
        // 2 go upstream, 1 waits for them, the other 3 are refused; the 3 admitted end with the route timeout
        assertThat(concurrently("/connections", 6)).containsExactly(503, 503, 503, 504, 504, 504);
        assertThat(connections.seen()).hasSizeLessThanOrEqualTo(3);
        assertThat(gateway.prometheus()).containsPattern("istio_requests_total\\{destination_service="
                + "\"connections.default.svc.cluster.local\"[^}]*response_code=\"503\",response_flags=\"UO\"} 3\\.0");
    }

    @Test
    void overHttp2MaxRequestsTheGatewayAnswers503UO() {
        assertThat(concurrently("/requests", 5)).containsExactly(503, 503, 504, 504, 504);
    }

    @Test
    void overMaxRetriesARetryIsNotMadeAndTheLastAnswerStandsWithUO() {
        secondRequestFindsTheRetriesTaken("/retries", retries, "retries");
    }

    /** A budget of 0 % with at least one retry at once behaves as maxRetries 1 while one request is in flight. */
    @Test
    void overTheRetryBudgetARetryIsNotMade() {
        secondRequestFindsTheRetriesTaken("/budget", budget, "budget");
    }

    private static void secondRequestFindsTheRetriesTaken(String path, ScriptedBackend backend, String service) {
        var first = HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> h.set("Host", "limited.example.com").set("x-test-id", "first"))
                .get().uri(path).responseSingle((response, body) -> body.then()
                        .thenReturn(response.status().code())).toFuture();
        // the first request's retry is under way (its backend holds it) before the second one fails
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> backend.seen().stream()
                .anyMatch(s -> s.testId().equals("first") && s.attemptCount().equals("2")));

        int second = HttpClient.create().baseUrl("http://127.0.0.1:" + gateway.port(80))
                .headers(h -> h.set("Host", "limited.example.com").set("x-test-id", "second"))
                .get().uri(path).responseSingle((response, body) -> body.then()
                        .thenReturn(response.status().code())).block(Duration.ofSeconds(10));

        assertThat(second).isEqualTo(503);
        assertThat(backend.seen().stream().filter(s -> s.testId().equals("second")).toList()).hasSize(1);
        assertThat(first.join()).isEqualTo(504);
        assertThat(gateway.prometheus()).containsPattern("istio_requests_total\\{destination_service=\""
                + service + ".default.svc.cluster.local\"[^}]*response_code=\"503\",response_flags=\"UO\"} 1\\.0");
    }
}
