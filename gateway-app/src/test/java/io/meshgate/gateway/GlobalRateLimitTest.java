package io.meshgate.gateway;

import static io.meshgate.gateway.RateLimitTest.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Global rate limits through two running gateways that share one real Redis: the budget is shared exactly (never a
 * budget per replica); a local rule in front sheds load before Redis is asked; with Redis gone, the fail-open
 * gateway lets requests through (counted) and the fail-closed one refuses them with 500 RLSE; with Redis back, the
 * limits hold again without a restart.
 */
class GlobalRateLimitTest {

    private static final String CONFIG = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: api, namespace: default}
            spec:
              hosts: [api.example.com]
              gateways: [edge]
              http:
              - name: shared
                match: [{uri: {prefix: /shared}}]
                route: [{destination: {host: backend}}]
              - name: outage
                match: [{uri: {prefix: /outage}}]
                route: [{destination: {host: backend}}]
              - name: shed
                match: [{uri: {prefix: /shed}}]
                route: [{destination: {host: backend}}]
              - name: probe
                match: [{uri: {prefix: /probe}}]
                route: [{destination: {host: backend}}]
            ---
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: probe, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: api, sectionName: probe}
              global:
                rules:
                - limit: {requests: 100000, unit: Hour}
            ---
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: shared, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: api, sectionName: shared}
              global:
                rules:
                - limit: {requests: 20, unit: Hour}
            ---
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: outage, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: api, sectionName: outage}
              global:
                rules:
                - clientSelectors:
                  - headers: [{name: x-user-id, type: Distinct}]
                  limit: {requests: 3, unit: Hour}
            ---
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: shed, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: api, sectionName: shed}
              local:
                rules:
                - limit: {requests: 5, unit: Hour}
              global:
                rules:
                - limit: {requests: 1000, unit: Hour}
            """;

    @TempDir
    static Path config;
    private static TestRedis redis;
    private static TestBackend backend;
    private static GatewayHarness open;
    private static GatewayHarness closed;

    @BeforeAll
    static void start() {
        redis = new TestRedis();
        backend = new TestBackend("backend");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.example.com"));
        GatewayHarness.write(config, "backend.yaml", GatewayHarness.serviceEntry("backend",
                Map.of("v1", backend.port())));
        GatewayHarness.write(config, "api.yaml", CONFIG);
        open = new GatewayHarness(config, "--gateway.ratelimit.redis-uri=" + redis.uri(),
                "--gateway.ratelimit.timeout=1s");
        closed = new GatewayHarness(config, "--gateway.ratelimit.redis-uri=" + redis.uri(),
                "--gateway.ratelimit.timeout=1s", "--gateway.ratelimit.failure-mode=closed");
        List.of(open, closed).forEach(GlobalRateLimitTest::awaitRedis);
    }

    @AfterAll
    static void stop() {
        open.close();
        closed.close();
        backend.close();
        redis.close();
    }

    @Test
    void twoGatewaysShareOneBudget() {
        int allowed = 0;
        for (int i = 0; i < 60; i++) {
            int status = get(i % 2 == 0 ? open : closed, "/shared/" + i, "user").status();
            assertThat(status).isIn(200, 429);
            allowed += status == 200 ? 1 : 0;
        }

        // 20 per hour: within the seconds of the test at most one more token is refilled
        assertThat(allowed).isBetween(20, 21);
    }

    @Test
    void aLocalRuleShedsLoadBeforeRedisIsAsked() {
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += get(open, "/shed/" + i, "user").status() == 200 ? 1 : 0;
        }

        assertThat(allowed).isEqualTo(5);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = open.prometheus();
            double local = value(metrics, "meshgate_ratelimit_requests_total\\{policy=\"default/shed\""
                    + "[^}]*rule=\"ratelimitpolicy/default/shed/local/0\"");
            double global = value(metrics, "meshgate_ratelimit_requests_total\\{policy=\"default/shed\""
                    + "[^}]*rule=\"ratelimitpolicy/default/shed/global/0\"");
            assertThat(global).as("Redis asked only for what the local rule let through").isLessThan(local);
        });
    }

    @Test
    void withRedisGoneTheFailureModeDecidesAndWithRedisBackLimitsHoldAgain() {
        redis.stop();
        try {
            for (int i = 0; i < 5; i++) {
                assertThat(get(open, "/outage/" + i, "erin").status()).as("fail open").isEqualTo(200);
                Answer refused = get(closed, "/outage/" + i, "erin");
                assertThat(refused.status()).as("fail closed").isEqualTo(500);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(value(open.prometheus(), "meshgate_ratelimit_redis_failures_total\\{failure_mode=\"open\""))
                        .isGreaterThanOrEqualTo(5.0);
                assertThat(value(closed.prometheus(), "istio_requests_total\\{[^}]*response_code=\"500\""
                        + "[^}]*response_flags=\"RLSE\"")).isGreaterThanOrEqualTo(5.0);
            });
        } finally {
            redis.start();
        }

        // Redis is back, empty: each gateway reconnects by itself and the 3 per hour of frank hold again
        List.of(open, closed).forEach(GlobalRateLimitTest::awaitRedis);
        int allowed = 0;
        for (int i = 0; i < 8; i++) {
            allowed += get(i % 2 == 0 ? open : closed, "/outage/" + i, "frank").status() == 200 ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(3);
    }

    /** Waits until the gateway checks global rules in Redis: the probe rule answers with its headers. */
    private static void awaitRedis(GatewayHarness gateway) {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                "100000".equals(get(gateway, "/probe", "probe").headers().get("RateLimit-Limit")));
    }

    record Answer(int status, io.netty.handler.codec.http.HttpHeaders headers) {
    }

    private static Answer get(GatewayHarness gateway, String path, String user) {
        return gateway.client("api.example.com")
                .headers(h -> h.set("x-user-id", user))
                .get().uri(path)
                .responseSingle((response, body) -> body.then(reactor.core.publisher.Mono.just(
                        new Answer(response.status().code(), response.responseHeaders()))))
                .block(Duration.ofSeconds(10));
    }
}
