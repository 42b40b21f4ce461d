package io.meshgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.codec.http.HttpHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local rate limits through a running gateway: a RateLimitPolicy on a VirtualService answers 429 once its bucket is
 * empty, with the RateLimit and Retry-After headers, response flag RL and a counter; distinct header values get
 * buckets of their own; shadow mode only counts; a limit changed live starts afresh while other rules keep their
 * buckets; Istio's EnvoyFilter local_ratelimit form is enforced the same way. Global limits: {@link
 * GlobalRateLimitTest}.
 */
class RateLimitTest {

    private static final String ROUTES = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: orders, namespace: default}
            spec:
              hosts: [orders.example.com]
              gateways: [edge]
              http:
              - route: [{destination: {host: backend}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: users, namespace: default}
            spec:
              hosts: [users.example.com]
              gateways: [edge]
              http:
              - name: profile
                match: [{uri: {prefix: /profile}}]
                route: [{destination: {host: backend}}]
              - name: rest
                route: [{destination: {host: backend}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: shadow, namespace: default}
            spec:
              hosts: [shadow.example.com]
              gateways: [edge]
              http:
              - route: [{destination: {host: backend}}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: other, namespace: default}
            spec:
              hosts: [other.example.com]
              gateways: [edge]
              http:
              - route: [{destination: {host: backend}}]
            """;

    private static final String USERS_AND_SHADOW = """
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: users, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: users, sectionName: profile}
              local:
                rules:
                - clientSelectors:
                  - headers: [{name: x-user-id, type: Distinct}]
                  limit: {requests: 2, unit: Hour}
            ---
            apiVersion: policy.meshgate.io/v1alpha1
            kind: RateLimitPolicy
            metadata: {name: shadow, namespace: default}
            spec:
              targetRef: {kind: VirtualService, name: shadow}
              shadowMode: true
              local:
                rules:
                - limit: {requests: 2, unit: Hour}
            ---
            apiVersion: networking.istio.io/v1alpha3
            kind: EnvoyFilter
            metadata: {name: local-ratelimit, namespace: default}
            spec:
              workloadSelector:
                labels: {istio: ingressgateway}
              configPatches:
              - applyTo: HTTP_FILTER
                match:
                  context: GATEWAY
                  listener:
                    filterChain:
                      filter:
                        name: envoy.filters.network.http_connection_manager
                patch:
                  operation: INSERT_BEFORE
                  value:
                    name: envoy.filters.http.local_ratelimit
                    typed_config:
                      "@type": type.googleapis.com/udpa.type.v1.TypedStruct
                      type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                      value:
                        stat_prefix: http_local_rate_limiter
                        token_bucket: {max_tokens: 1000, tokens_per_fill: 1000, fill_interval: 3600s}
                        filter_enabled:
                          runtime_key: local_rate_limit_enabled
                          default_value: {numerator: 100, denominator: HUNDRED}
                        filter_enforced:
                          runtime_key: local_rate_limit_enforced
                          default_value: {numerator: 100, denominator: HUNDRED}
            """;

    @TempDir
    static Path config;
    private static TestBackend backend;
    private static GatewayHarness gateway;

    @BeforeAll
    static void start() {
        backend = new TestBackend("backend");
        GatewayHarness.write(config, "gateway.yaml", GatewayHarness.gatewayOn80("*.example.com"));
        GatewayHarness.write(config, "backend.yaml", GatewayHarness.serviceEntry("backend",
                Map.of("v1", backend.port())));
        GatewayHarness.write(config, "routes.yaml", ROUTES);
        GatewayHarness.write(config, "orders-limit.yaml", ordersLimit(3));
        GatewayHarness.write(config, "policies.yaml", USERS_AND_SHADOW);
        gateway = new GatewayHarness(config);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        backend.close();
    }

    private static String ordersLimit(int requests) {
        return """
                apiVersion: policy.meshgate.io/v1alpha1
                kind: RateLimitPolicy
                metadata: {name: orders, namespace: default}
                spec:
                  targetRef: {kind: VirtualService, name: orders}
                  local:
                    rules:
                    - limit: {requests: %d, unit: Hour}
                """.formatted(requests);
    }

    @Test
    void overTheLimitTheAnswerIs429WithRateLimitHeadersAndItIsCounted() {
        // the orders limit is also changed by another test: run on a fresh copy of it
        GatewayHarness.write(config, "orders-limit.yaml", ordersLimit(3));
        awaitLimit("orders.example.com", "3");
        for (int i = 0; i < 3; i++) {
            get("orders.example.com", "/");
        }
        Answer refused = get("orders.example.com", "/");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body()).isEqualTo("local_rate_limited");
        assertThat(refused.headers().get("RateLimit-Limit")).isEqualTo("3");
        assertThat(refused.headers().get("RateLimit-Remaining")).isEqualTo("0");
        // 3 per hour: a token every 20 minutes
        assertThat(Long.parseLong(refused.headers().get("Retry-After"))).isBetween(1100L, 1200L);
        assertThat(refused.headers().get("RateLimit-Reset")).isEqualTo(refused.headers().get("Retry-After"));
        assertThat(refused.headers().get("X-RateLimit-Remaining")).isEqualTo("0");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String metrics = gateway.prometheus();
            assertThat(value(metrics, "meshgate_ratelimit_requests_total\\{policy=\"default/orders\""
                    + "[^}]*result=\"limited\"")).isGreaterThanOrEqualTo(1.0);
            assertThat(value(metrics, "istio_requests_total\\{[^}]*response_code=\"429\""
                    + "[^}]*response_flags=\"RL\"")).isGreaterThanOrEqualTo(1.0);
        });
    }

    @Test
    void answersWithinTheLimitCarryTheRemainingBudget() {
        Answer first = get("users.example.com", "/profile", "x-user-id", "carol");
        Answer second = get("users.example.com", "/profile", "x-user-id", "carol");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.headers().get("RateLimit-Limit")).isEqualTo("2");
        assertThat(first.headers().get("RateLimit-Remaining")).isEqualTo("1");
        assertThat(second.headers().get("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(second.headers().get("RateLimit-Reset"))).isBetween(3500L, 3600L);
    }

    @Test
    void eachDistinctHeaderValueHasItsOwnBudgetAndOtherRulesAreUntouched() {
        for (int i = 0; i < 2; i++) {
            assertThat(get("users.example.com", "/profile", "x-user-id", "alice").status()).isEqualTo(200);
        }
        assertThat(get("users.example.com", "/profile", "x-user-id", "alice").status()).isEqualTo(429);
        assertThat(get("users.example.com", "/profile", "x-user-id", "bob").status()).isEqualTo(200);
        assertThat(get("users.example.com", "/profile").status()).as("no x-user-id: not selected").isEqualTo(200);
        assertThat(get("users.example.com", "/elsewhere", "x-user-id", "alice").status())
                .as("another http rule of the VirtualService").isEqualTo(200);
    }

    @Test
    void shadowModeNeverRefusesButCounts() {
        for (int i = 0; i < 5; i++) {
            Answer answer = get("shadow.example.com", "/");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.headers().get("RateLimit-Limit")).as("the EnvoyFilter's rule, never the shadow one")
                    .isEqualTo("1000");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(value(gateway.prometheus(),
                "meshgate_ratelimit_requests_total\\{policy=\"default/shadow\"[^}]*result=\"shadow_limited\""))
                .isEqualTo(3.0));
    }

    @Test
    void aLimitChangedLiveStartsAfreshAndOtherBucketsKeepTheirState() {
        GatewayHarness.write(config, "orders-limit.yaml", ordersLimit(3));
        awaitLimit("orders.example.com", "3");
        for (int i = 0; i < 2; i++) {
            get("users.example.com", "/profile", "x-user-id", "dave");
        }
        assertThat(get("users.example.com", "/profile", "x-user-id", "dave").status()).isEqualTo(429);

        GatewayHarness.write(config, "orders-limit.yaml", ordersLimit(7));
        awaitLimit("orders.example.com", "7");

        assertThat(get("users.example.com", "/profile", "x-user-id", "dave").status())
                .as("the users bucket survived the reload").isEqualTo(429);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += get("orders.example.com", "/").status() == 200 ? 1 : 0;
        }
        // the probe of awaitLimit took one of the 7
        assertThat(allowed).isEqualTo(6);
    }

    @Test
    void istiosEnvoyFilterLocalRateLimitAppliesToEveryRouteOfTheGateway() {
        Answer answer = get("other.example.com", "/");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers().get("RateLimit-Limit")).isEqualTo("1000");
        assertThat(Long.parseLong(answer.headers().get("RateLimit-Remaining"))).isBetween(900L, 999L);
    }

    /** Waits until the route answers with the given RateLimit-Limit: the new configuration is in force. */
    private static void awaitLimit(String host, String limit) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> limit.equals(get(host, "/probe").headers().get("RateLimit-Limit")));
    }

    record Answer(int status, HttpHeaders headers, String body) {
    }

    static Answer get(String host, String path, String... headers) {
        return gateway.client(host)
                .headers(h -> {
                    for (int i = 0; i < headers.length; i += 2) {
                        h.set(headers[i], headers[i + 1]);
                    }
                })
                .get().uri(path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(), text)))
                .block(Duration.ofSeconds(10));
    }

    static double value(String metrics, String seriesPattern) {
        Matcher matcher = Pattern.compile("(?m)^" + seriesPattern + "[^}]*} ([0-9.E]+)$").matcher(metrics);
        double sum = 0;
        boolean found = false;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
            found = true;
        }
        assertThat(found).as(seriesPattern + " in " + List.of(metrics.split("\n")).stream()
                .filter(l -> l.startsWith("meshgate_ratelimit")).toList()).isTrue();
        return sum;
    }
}
