package io.meshgate.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TrafficPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Round-robin endpoint picks, and the endpoints a retry avoids. */
class EndpointPickerTest {

    private final EndpointPicker picker = new EndpointPicker();

    @Test
    void goesRoundRobin() {
        Cluster cluster = cluster(8001, 8002, 8003);

        assertThat(List.of(pick(cluster, Set.of()), pick(cluster, Set.of()), pick(cluster, Set.of()),
                pick(cluster, Set.of()))).containsExactly("127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003",
                "127.0.0.1:8001");
    }

    @Test
    void avoidsTriedEndpointsWhileAnotherIsLeft() {
        Cluster cluster = cluster(8001, 8002, 8003);

        for (int i = 0; i < 9; i++) {
            assertThat(pick(cluster, Set.of("127.0.0.1:8001", "127.0.0.1:8003"))).isEqualTo("127.0.0.1:8002");
        }
    }

    @Test
    void fallsBackToRoundRobinWhenEveryEndpointWasTried() {
        Cluster cluster = cluster(8001);

        assertThat(pick(cluster, Set.of("127.0.0.1:8001"))).isEqualTo("127.0.0.1:8001");
    }

    @Test
    void bracketsIpv6Addresses() {
        Endpoint endpoint = new Endpoint("::1", 9000, Map.of(), 1, Optional.empty(), source());

        assertThat(EndpointPicker.hostPort(endpoint)).isEqualTo("[::1]:9000");
    }

    private String pick(Cluster cluster, Set<String> avoid) {
        return EndpointPicker.hostPort(picker.pickEndpoint(cluster, avoid).orElseThrow());
    }

    private static Cluster cluster(int... ports) {
        List<Endpoint> endpoints = java.util.Arrays.stream(ports)
                .mapToObj(port -> new Endpoint("127.0.0.1", port, Map.of(), 1, Optional.empty(), source()))
                .toList();
        return new Cluster("outbound|80||svc.default.svc.cluster.local", "svc.default.svc.cluster.local",
                Optional.empty(), 80, "HTTP", "ServiceEntry", "STATIC", TrafficPolicy.NONE, Optional.empty(),
                endpoints);
    }

    private static SourceRef source() {
        return new SourceRef("ServiceEntry", "default", "svc", "spec.endpoints[0]");
    }
}
