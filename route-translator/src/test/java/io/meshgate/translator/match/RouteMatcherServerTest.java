package io.meshgate.translator.match;

import static io.meshgate.translator.match.SnapshotFixture.route;
import static io.meshgate.translator.match.SnapshotFixture.routeOf;
import static io.meshgate.translator.match.SnapshotFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.NotMatched;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A request on a TLS connection is matched only among the virtual hosts of the Gateway server its handshake
 * selected, as Envoy routes it with the route configuration of the filter chain the SNI picked.
 */
class RouteMatcherServerTest {

    private static final String SIMPLE = "default/edge/https-echo";
    private static final String MUTUAL = "default/edge/https-other";
    private static final String WILDCARD = "default/edge/https-wildcard";

    private final RouteMatcher matcher = RouteMatcher.of(snapshot(new Listener("0.0.0.0_443", 443, "HTTPS", List.of(),
            List.of(host("echo.test", SIMPLE, "echo"), host("other.test", MUTUAL, "other"),
                    host("other.test", WILDCARD, "other-via-wildcard"), host("*.wild.test", WILDCARD, "wild")))));

    @Test
    void aServerServesOnlyItsOwnHosts() {
        assertThat(routeOf(matcher.match(request("echo.test", SIMPLE)))).isEqualTo("echo");
        assertThat(routeOf(matcher.match(request("other.test", MUTUAL)))).isEqualTo("other");
    }

    @Test
    void aHostOfAnotherServerOfThePortIsMisdirected() {
        MatchResult result = matcher.match(request("other.test", SIMPLE));

        assertThat(routeOf(result)).isEqualTo("OTHER_SERVER");
        assertThat(((NotMatched) result).reason().status()).isEqualTo(404);
        assertThat(routeOf(matcher.match(request("a.wild.test", SIMPLE)))).isEqualTo("OTHER_SERVER");
    }

    @Test
    void aHostNoServerOfThePortServesIsUnknown() {
        assertThat(routeOf(matcher.match(request("nobody.test", SIMPLE)))).isEqualTo("UNKNOWN_HOST");
        assertThat(routeOf(matcher.match(request("nobody.test", "default/edge/removed")))).isEqualTo("UNKNOWN_HOST");
    }

    @Test
    void aHostTwoServersExposeIsServedByEachWithItsOwnRoutes() {
        assertThat(routeOf(matcher.match(request("other.test", WILDCARD)))).isEqualTo("other-via-wildcard");
        assertThat(routeOf(matcher.match(request("a.wild.test", WILDCARD)))).isEqualTo("wild");
    }

    @Test
    void aPlainTextRequestSeesEveryVirtualHostOfThePort() {
        assertThat(routeOf(matcher.match(request("other.test", null)))).isEqualTo("other");
        assertThat(routeOf(matcher.match(request("a.wild.test", null)))).isEqualTo("wild");
    }

    private static VirtualHost host(String domain, String server, String route) {
        return new VirtualHost(domain + ":443", List.of(domain), server, List.of(route(route)));
    }

    private static RequestView request(String authority, @Nullable String server) {
        SimpleRequest request = new SimpleRequest(443, authority, "GET", "https", "/", "", Map.of());
        return new RequestView() {
            @Override
            public int port() {
                return request.port();
            }

            @Override
            public String authority() {
                return request.authority();
            }

            @Override
            public String method() {
                return request.method();
            }

            @Override
            public String scheme() {
                return request.scheme();
            }

            @Override
            public String path() {
                return request.path();
            }

            @Override
            public String query() {
                return request.query();
            }

            @Override
            public @Nullable String header(String name) {
                return request.header(name);
            }

            @Override
            public @Nullable String server() {
                return server;
            }
        };
    }
}
