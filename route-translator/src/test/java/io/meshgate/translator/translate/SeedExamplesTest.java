package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.diag.Diagnostic;
import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.FaultPolicy;
import io.meshgate.translator.ir.OutlierDetection;
import io.meshgate.translator.ir.RetryPolicy;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.WeightedCluster;
import io.meshgate.translator.load.ResourceLoader;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RouteMatcher;
import io.meshgate.translator.match.SimpleRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every YAML example of the seed document loads and behaves as the text describes, or gets the diagnostic that says
 * where the text is not valid Istio. The examples are loaded together, as a user would apply the whole document.
 */
class SeedExamplesTest {

    private static TranslationResult result;
    private static RouteMatcher matcher;

    @BeforeAll
    static void load() {
        result = Translator.translate(ResourceLoader.load(List.of(Path.of("src/test/resources/seed-examples"))),
                TranslatorOptions.DEFAULTS);
        matcher = RouteMatcher.of(result.snapshot());
    }

    @Test
    void eachExampleGetsExactlyTheDiagnosticsItDeserves() {
        assertThat(result.diagnostics()).extracting(SeedExamplesTest::key).containsExactlyInAnyOrder(
                // 01: the Gateway exposes api.mystore.com, but no VirtualService binds to it
                "GW0212 Gateway default/ecommerce-gateway spec.servers[0]",
                // 02: no gateways field, so Istio applies it to the mesh only; its hosts are not defined anywhere
                "GW0209 VirtualService default/order-service-vs spec.hosts[0]",
                "GW0101 VirtualService default/order-service-vs spec.http[0].route[0].destination.host",
                "GW0101 VirtualService default/order-service-vs spec.http[0].route[1].destination.host",
                // 03: LEAST_CONN is deprecated; circuitBreaker is not Istio; consecutiveErrors is deprecated
                "GW0210 DestinationRule default/order-service-dr spec.host",
                "GW0002 DestinationRule default/order-service-dr spec.trafficPolicy.loadBalancer.simple",
                "GW0205 DestinationRule default/order-service-dr spec.trafficPolicy.circuitBreaker",
                "GW0002 DestinationRule default/order-service-dr spec.trafficPolicy.circuitBreaker.consecutiveErrors",
                // 04: the Service loads cleanly and defines inventory-service
                // 05 and 10: recognised Istio kinds this version does not apply
                "GW0203 PeerAuthentication default/strict-mtls ",
                "GW0203 Telemetry default/custom-metrics ",
                // 06: retryPolicy is not Istio
                "GW0205 DestinationRule default/inventory-service-dr spec.trafficPolicy.retryPolicy",
                // 07 and 08: the services and subsets they route to are not in the seed
                "GW0101 VirtualService default/blue-green-deployment spec.http[0].route[0].destination.host",
                "GW0101 VirtualService default/blue-green-deployment spec.http[0].route[0].destination.subset",
                "GW0101 VirtualService default/blue-green-deployment spec.http[1].route[0].destination.host",
                "GW0101 VirtualService default/blue-green-deployment spec.http[1].route[0].destination.subset",
                "GW0101 VirtualService default/recommendation-service spec.http[0].route[0].destination.host",
                "GW0101 VirtualService default/recommendation-service spec.http[0].route[0].destination.subset",
                "GW0101 VirtualService default/recommendation-service spec.http[1].route[0].destination.host",
                "GW0101 VirtualService default/recommendation-service spec.http[1].route[0].destination.subset",
                "GW0101 VirtualService default/recommendation-service spec.http[1].route[1].destination.host",
                "GW0101 VirtualService default/recommendation-service spec.http[1].route[1].destination.subset",
                // 09 and 12 load cleanly; 11: circuitBreaker again, for a host the seed does not define
                "GW0210 DestinationRule default/order-service-circuit-breaker spec.host",
                "GW0205 DestinationRule default/order-service-circuit-breaker spec.trafficPolicy.circuitBreaker",
                "GW0002 DestinationRule default/order-service-circuit-breaker "
                        + "spec.trafficPolicy.circuitBreaker.consecutiveErrors");
        assertThat(result.diagnostics()).allSatisfy(d -> assertThat(d.location()).isPresent());
    }

    @Test
    void ordersSplitNinetyTenWithADelayOnOneInAThousand() {
        Route route = meshRoute("GET http://api.mystore.com/orders/42", Map.of());

        assertThat(weights(route)).containsExactly(90, 10);
        assertThat(route.policies().fault().flatMap(FaultPolicy::delay)).contains(
                new FaultPolicy.Delay(Duration.ofSeconds(5), 0.1));
    }

    @Test
    void theGatewayDoesNotServeOrdersBecauseTheVirtualServiceIsNotBoundToIt() {
        MatchResult atGateway = matcher.match(SimpleRequest.parse("GET http://api.mystore.com/orders"));

        assertThat(atGateway).isInstanceOfSatisfying(MatchResult.NotMatched.class,
                miss -> assertThat(miss.reason()).isEqualTo(MatchResult.Reason.UNKNOWN_HOST));
    }

    @Test
    void circuitBreakerBecomesOutlierDetectionOnGatewayErrors() {
        assertThat(cluster("outbound|8080||order-service.default.svc.cluster.local").policy().outlierDetection())
                .contains(new OutlierDetection(0, 5, Duration.ofSeconds(30), Duration.ofSeconds(30), 10, 0,
                        "circuitBreaker"));
        assertThat(cluster("outbound|8080||order-service.default.svc.cluster.local").policy().loadBalancer()
                .flatMap(lb -> lb.simple())).contains("LEAST_REQUEST");
        assertThat(cluster("outbound|8080||order-service-v2.default.svc.cluster.local").policy().outlierDetection()
                .map(OutlierDetection::maxEjectionPercent)).contains(50);
    }

    @Test
    void blueGreenRoutesByTheVersionHeader() {
        assertThat(weightedSubsets(meshRoute("GET http://user-service/profile", Map.of("version", "green"))))
                .containsExactly("green");
        assertThat(weightedSubsets(meshRoute("GET http://user-service/profile", Map.of()))).containsExactly("blue");
    }

    @Test
    void canaryUsersGetV2AndEveryoneElseNinetyFiveFive() {
        Route optedIn = meshRoute("GET http://recommendation-service/", Map.of("canary-user", "true"));
        Route others = meshRoute("GET http://recommendation-service/", Map.of());

        assertThat(weightedSubsets(optedIn)).containsExactly("v2");
        assertThat(weightedSubsets(others)).containsExactly("v1", "v2");
        assertThat(weights(others)).containsExactly(95, 5);
    }

    @Test
    void chaosAbortsHalfAPercentOfMarkedRequests() {
        Route chaos = meshRoute("GET http://inventory-service/items", Map.of("chaos-test", "enabled"));

        assertThat(chaos.policies().fault().flatMap(FaultPolicy::abort)).contains(
                new FaultPolicy.Abort(Optional.of(500), Optional.empty(), 0.5));
        assertThat(matcher.matchMesh(SimpleRequest.parse("GET http://inventory-service/items")))
                .isInstanceOf(MatchResult.NotMatched.class);
    }

    @Test
    void retriesComeFromTheRuleOrFromTheSeedsRetryPolicy() {
        Route explicit = meshRoute("GET http://inventory.mystore.internal/", Map.of());
        Route degraded = meshRoute("GET http://legacy.mystore.internal/", Map.of());

        assertThat(explicit.policies().retry()).contains(new RetryPolicy(3, Optional.of(Duration.ofSeconds(2)),
                List.of("gateway-error", "connect-failure", "refused-stream"), Duration.ofMillis(25), true,
                "VirtualService"));
        assertThat(degraded.policies().retry().map(RetryPolicy::origin)).contains("DestinationRule.retryPolicy");
        assertThat(degraded.policies().retry().map(RetryPolicy::attempts)).contains(3);
        assertThat(degraded.policies().fault().flatMap(FaultPolicy::abort)).contains(
                new FaultPolicy.Abort(Optional.of(503), Optional.empty(), 100.0));
    }

    @Test
    void theServiceAndOutlierDetectionDefineInventory() {
        Cluster inventory = cluster("outbound|8080||inventory-service.default.svc.cluster.local");

        assertThat(inventory.discovery()).isEqualTo("Service");
        assertThat(inventory.policy().outlierDetection()).contains(new OutlierDetection(3, 0,
                Duration.ofSeconds(30), Duration.ofSeconds(30), 10, 0, "outlierDetection"));
    }

    private static Route meshRoute(String request, Map<String, String> headers) {
        MatchResult match = matcher.matchMesh(SimpleRequest.parse(request, headers));
        assertThat(match).as("%s %s", request, headers).isInstanceOf(MatchResult.Matched.class);
        return ((MatchResult.Matched) match).route();
    }

    private static List<Integer> weights(Route route) {
        return ((RouteAction.Forward) route.action()).clusters().stream().map(WeightedCluster::weight).toList();
    }

    private static List<String> weightedSubsets(Route route) {
        return ((RouteAction.Forward) route.action()).clusters().stream()
                .map(c -> c.destination().subset().orElse("")).toList();
    }

    private static Cluster cluster(String name) {
        return result.snapshot().clusters().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static String key(Diagnostic d) {
        return d.code().id() + " " + d.resource().display() + " " + d.fieldPath();
    }
}
