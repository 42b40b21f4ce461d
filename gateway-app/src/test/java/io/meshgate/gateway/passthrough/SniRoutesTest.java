package io.meshgate.gateway.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.ServerTls;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.TlsRoute;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which target an SNI name gets on one port: Envoy's filter chain order, among tls routes and terminating hosts. */
class SniRoutesTest {

    private static final SourceRef SOURCE = SourceRef.of("Gateway", "default", "edge");

    @Test
    void anExactNameBeatsAWildcardWhateverTheRuleOrderAndTheFirstRouteOfANameKeepsIt() {
        TlsRoute wildcard = route("wild", "pass", "*.example.com");
        TlsRoute exact = route("exact", "pass", "a.example.com");
        TlsRoute later = route("later", "pass", "a.example.com");
        SniRoutes routes = SniRoutes.of(listener(List.of(server("pass", "PASSTHROUGH", "*.example.com")),
                List.of(wildcard, exact, later)));

        assertThat(routes.lookup("A.example.com")).isEqualTo(new SniRoutes.Relay(exact));
        assertThat(routes.lookup("b.example.com")).isEqualTo(new SniRoutes.Relay(wildcard));
        assertThat(routes.lookup("example.com")).isNull();
        assertThat(routes.lookup(null)).isNull();
    }

    @Test
    void onAMixedPortTerminatingHostsCompeteOnTheSameTermsAndTheRestIsTerminated() {
        TlsRoute db = route("db", "pass", "*.db.example.com");
        SniRoutes routes = SniRoutes.of(listener(List.of(server("tls", "SIMPLE", "api.db.example.com"),
                server("pass", "PASSTHROUGH", "*.db.example.com")), List.of(db)));

        assertThat(routes.lookup("orders.db.example.com")).isEqualTo(new SniRoutes.Relay(db));
        assertThat(routes.lookup("api.db.example.com")).isInstanceOf(SniRoutes.Terminate.class);
        assertThat(routes.lookup("unknown.example.com")).isInstanceOf(SniRoutes.Terminate.class);
        assertThat(routes.lookup(null)).isInstanceOf(SniRoutes.Terminate.class);
    }

    @Test
    void aStarRouteTakesEveryNameAndClientsWithoutSni() {
        TlsRoute any = route("any", "pass", "*");
        SniRoutes routes = SniRoutes.of(listener(List.of(server("pass", "PASSTHROUGH", "*")), List.of(any)));

        assertThat(routes.lookup("whatever.example.org")).isEqualTo(new SniRoutes.Relay(any));
        assertThat(routes.lookup(null)).isEqualTo(new SniRoutes.Relay(any));
    }

    private static Listener listener(List<Server> servers, List<TlsRoute> routes) {
        return new Listener("0.0.0.0_443", 443, "HTTPS", servers, List.of(), routes);
    }

    private static Server server(String name, String mode, String host) {
        ServerTls tls = new ServerTls(mode, false, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), List.of(), List.of(), Optional.empty());
        return new Server(name, SOURCE, "default/edge", 443, "HTTPS", List.of("*/" + host), Optional.of(tls));
    }

    private static TlsRoute route(String name, String server, String sniHost) {
        WeightedCluster cluster = new WeightedCluster("outbound|443||" + name + ".internal", 100,
                new DestinationRef(name + ".internal", name + ".internal", Optional.empty(), 443), HeaderPolicy.NONE);
        return new TlsRoute(name, SOURCE, server, List.of(sniHost), List.of(cluster));
    }
}
