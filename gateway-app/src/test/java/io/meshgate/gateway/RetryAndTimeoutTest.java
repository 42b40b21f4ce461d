package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.meshgate.gateway.ScriptedBackend.Behavior;
import io.meshgate.gateway.ScriptedBackend.Seen;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** Route timeouts and retries end to end: real gateway, backends on 127.0.0.1 that fail in chosen ways. */
class RetryAndTimeoutTest {

    private static final String HOST = "retry.test";

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: default}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 80, name: http, protocol: HTTP}
                hosts: [retry.test]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: resilience, namespace: default}
            spec:
              hosts: [retry.test]
              gateways: [edge]
              http:
              - match: [{uri: {prefix: /timeout}}]
                timeout: 300ms
                route: [{destination: {host: slow}}]
              - match: [{uri: {prefix: /delayed}}]
                fault: {delay: {fixedDelay: 400ms, percentage: {value: 100}}}
                timeout: 300ms
                route: [{destination: {host: delayed}}]
              - match: [{uri: {prefix: /stall}}]
                timeout: 300ms
                route: [{destination: {host: stall}}]
              - match: [{uri: {prefix: /flaky}}]
                retries: {attempts: 2, retryOn: 5xx}
                route: [{destination: {host: trio}}]
              - match: [{uri: {prefix: /per-try}}]
                retries: {attempts: 2, perTryTimeout: 150ms, retryOn: gateway-error}
                route: [{destination: {host: hangpair}}]
              - match: [{uri: {prefix: /last-try-timeout}}]
                retries: {attempts: 1, perTryTimeout: 100ms, retryOn: 5xx}
                route: [{destination: {host: slowtoo}}]
              - match: [{uri: {prefix: /exhausted}}]
                retries: {attempts: 2, retryOn: "503", backoff: 1ms}
                route: [{destination: {host: broken}}]
              - match: [{uri: {prefix: /refused}}]
                retries: {attempts: 1, retryOn: connect-failure}
                route: [{destination: {host: halfdown}}]
              - match: [{uri: {prefix: /reset}}]
                retries: {attempts: 1, retryOn: reset}
                route: [{destination: {host: resetpair}}]
              - match: [{uri: {prefix: /grpc}}]
                retries: {attempts: 1, retryOn: unavailable}
                route: [{destination: {host: grpcpair}}]
              - match: [{uri: {prefix: /post}}]
                retries: {attempts: 3, retryOn: 5xx}
                route: [{destination: {host: postonly}}]
              - match: [{uri: {prefix: /abort}}]
                fault: {abort: {httpStatus: 503, percentage: {value: 100}}}
                retries: {attempts: 3, retryOn: 5xx}
                route: [{destination: {host: untouched}}]
            """;

    @TempDir
    static Path config;
    private static final Map<String, ScriptedBackend> backends = new LinkedHashMap<>();
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws IOException {
        // held while the gateway binds its own free ports, so that none of them can be this one, then closed
        ServerSocket reserved = new ServerSocket(0);
        int closedPort = reserved.getLocalPort();
        service("slow", Map.of("a", backend("slow", Behavior.HANG)));
        service("delayed", Map.of("a", backend("delayed", Behavior.OK)));
        service("stall", Map.of("a", backend("stall", Behavior.STALL_BODY)));
        service("trio", Map.of("a", backend("trio-failing", Behavior.FAIL_503),
                "b", backend("trio-ok-1", Behavior.OK), "c", backend("trio-ok-2", Behavior.OK)));
        service("hangpair", Map.of("a", backend("hangpair-hang", Behavior.HANG),
                "b", backend("hangpair-ok", Behavior.OK)));
        service("slowtoo", Map.of("a", backend("slowtoo", Behavior.HANG)));
        service("broken", Map.of("a", backend("broken", Behavior.FAIL_503)));
        service("halfdown", Map.of("a", closedPort, "b", backend("halfdown-ok", Behavior.OK)));
        service("resetpair", Map.of("a", backend("resetpair-close", Behavior.CLOSE),
                "b", backend("resetpair-ok", Behavior.OK)));
        service("grpcpair", Map.of("a", backend("grpcpair-unavailable", Behavior.GRPC_UNAVAILABLE),
                "b", backend("grpcpair-ok", Behavior.OK)));
        service("postonly", Map.of("a", backend("postonly", Behavior.FAIL_503)));
        service("untouched", Map.of("a", backend("untouched", Behavior.OK)));
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        gateway = new GatewayHarness(config);
        reserved.close();
    }

    private static int backend(String name, Behavior behavior) {
        ScriptedBackend backend = new ScriptedBackend(name, behavior);
        backends.put(name, backend);
        return backend.port();
    }

    private static void service(String name, Map<String, Integer> endpoints) {
        GatewayHarness.write(config, name + ".yaml", GatewayHarness.serviceEntry(name, endpoints));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backends.values().forEach(ScriptedBackend::close);
    }

    @Test
    void routeTimeoutAnswers504WithinBoundedTime() {
        long start = System.nanoTime();
        Answer answer = send("GET", "/timeout", "t1", "");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body()).isEqualTo("upstream request timeout");
        assertThat(millis).isBetween(250L, 3_000L);
        assertThat(metrics()).containsPattern("istio_requests_total\\{[^}]*destination_service_name=\"slow\""
                + "[^}]*response_code=\"504\"[^}]*response_flags=\"UT\"");
    }

    @Test
    void faultDelayDoesNotCountAgainstTheRouteTimeout() {
        long start = System.nanoTime();
        Answer answer = send("GET", "/delayed", "delayed", "");

        // as in Envoy, the router's timer starts after the fault filter has delayed the request
        assertThat(answer.status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(400L);
    }

    @Test
    void routeTimeoutCutsABodyThatStopsHalfway() {
        long start = System.nanoTime();
        Throwable error = catchThrowable(() -> send("GET", "/stall", "stall", ""));
        long millis = (System.nanoTime() - start) / 1_000_000;

        // the 200 and part of the body were sent: the client must see the stream fail, not a short whole body
        assertThat(error).isNotNull();
        assertThat(millis).isBetween(250L, 3_000L);
        assertThat(metrics()).containsPattern("destination_service_name=\"stall\"[^}]*response_flags=\"UT\"");
    }

    @Test
    void retriesA503ElsewhereSoClientsSeeNoErrorAndTheFailingEndpointOncePerRequest() {
        List<Answer> answers = Flux.range(0, 300)
                .flatMap(i -> sendAsync("GET", "/flaky", "flaky-" + i, ""), 8)
                .collectList()
                .block(Duration.ofSeconds(30));

        assertThat(answers).hasSize(300).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        List<Seen> failing = backends.get("trio-failing").seen();
        assertThat(failing).isNotEmpty();
        assertThat(failing.stream().map(Seen::testId).distinct().count()).isEqualTo(failing.size());
        assertThat(failing).allSatisfy(s -> assertThat(s.attemptCount()).isEqualTo("1"));
        Set<String> healthyAttempts = new java.util.HashSet<>();
        backends.get("trio-ok-1").seen().forEach(s -> healthyAttempts.add(s.attemptCount()));
        backends.get("trio-ok-2").seen().forEach(s -> healthyAttempts.add(s.attemptCount()));
        assertThat(healthyAttempts).containsExactlyInAnyOrder("1", "2");
        // the retried responses were drained, so their connections went back to the pool
        assertThat(backends.get("trio-failing").connections()).isLessThan(failing.size() / 2);
    }

    @Test
    void perTryTimeoutRetriesAHangingEndpointElsewhere() {
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            Answer answer = send("GET", "/per-try", "per-try-" + i, "");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("hangpair-ok ok");
        }
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
        assertThat(backends.get("hangpair-hang").seen()).isNotEmpty()
                .allSatisfy(s -> assertThat(s.attemptCount()).isEqualTo("1"));
    }

    @Test
    void perTryTimeoutOnTheLastTryAnswers504WithRetriesExhausted() {
        Answer answer = send("GET", "/last-try-timeout", "pte", "");

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body()).isEqualTo("upstream request timeout");
        assertThat(backends.get("slowtoo").seen()).extracting(Seen::attemptCount).containsExactly("1", "2");
        assertThat(metrics()).contains("response_flags=\"UT,URX\"");
    }

    @Test
    void exhaustedRetriesAnswerTheLastResponseWithUrx() {
        Answer answer = send("GET", "/exhausted", "exhausted", "");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("broken failed");
        assertThat(backends.get("broken").seen()).extracting(Seen::attemptCount).containsExactly("1", "2", "3");
        assertThat(metrics()).containsPattern("istio_requests_total\\{[^}]*destination_service_name=\"broken\""
                + "[^}]*response_code=\"503\"[^}]*response_flags=\"URX\"");
    }

    @Test
    void connectFailureIsRetriedOnAnotherEndpoint() {
        for (int i = 0; i < 10; i++) {
            Answer answer = send("GET", "/refused", "refused-" + i, "");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("halfdown-ok ok");
        }
        // with two endpoints round-robin sends (almost) every first try to the closed port
        assertThat(backends.get("halfdown-ok").seen()).extracting(Seen::attemptCount).contains("2");
    }

    @Test
    void resetBeforeTheResponseIsRetriedOnAnotherEndpoint() {
        for (int i = 0; i < 6; i++) {
            assertThat(send("GET", "/reset", "reset-" + i, "").body()).isEqualTo("resetpair-ok ok");
        }
        assertThat(backends.get("resetpair-close").seen()).isNotEmpty();
    }

    @Test
    void grpcUnavailableIsRetriedOnAnotherEndpoint() {
        // the default load balancer (LEAST_REQUEST) picks between two idle endpoints at random: send until the
        // failing one has been picked (40 requests all missing it: 1 in 10^12), every answer from the other
        for (int i = 0; i < 40 && backends.get("grpcpair-unavailable").seen().isEmpty(); i++) {
            assertThat(send("GET", "/grpc", "grpc-" + i, "").body()).isEqualTo("grpcpair-ok ok");
        }
        assertThat(backends.get("grpcpair-unavailable").seen()).isNotEmpty();
    }

    @Test
    void requestWithABodyIsNotReplayed() {
        Answer answer = send("POST", "/post", "post", "one-time payload");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(backends.get("postonly").seen())
                .containsExactly(new Seen("POST", "post", "1", "one-time payload"));
    }

    @Test
    void faultAbortIsNeverRetried() {
        Answer answer = send("GET", "/abort", "abort", "");

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("fault filter abort");
        assertThat(backends.get("untouched").seen()).isEmpty();
    }

    /** A response, read whole. */
    record Answer(int status, String body) {
    }

    private static Answer send(String method, String path, String testId, String body) {
        return sendAsync(method, path, testId, body).block(Duration.ofSeconds(15));
    }

    private static Mono<Answer> sendAsync(String method, String path, String testId, String body) {
        HttpClient client = gateway.client(HOST).headers(h -> h.set("x-test-id", testId));
        HttpClient.ResponseReceiver<?> request = body.isEmpty()
                ? client.request(io.netty.handler.codec.http.HttpMethod.valueOf(method)).uri(path)
                : client.request(io.netty.handler.codec.http.HttpMethod.valueOf(method)).uri(path)
                        .send(ByteBufFlux.fromString(Mono.just(body)));
        return request.responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .map(text -> new Answer(response.status().code(), text)));
    }

    private static String metrics() {
        return HttpClient.create().get()
                .uri("http://127.0.0.1:" + gateway.managementPort() + "/actuator/prometheus")
                .responseContent().aggregate().asString().block(Duration.ofSeconds(10));
    }
}
