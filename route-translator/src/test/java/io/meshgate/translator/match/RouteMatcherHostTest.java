package io.meshgate.translator.match;

import static io.meshgate.translator.match.SnapshotFixture.host;
import static io.meshgate.translator.match.SnapshotFixture.listener;
import static io.meshgate.translator.match.SnapshotFixture.route;
import static io.meshgate.translator.match.SnapshotFixture.routeOf;
import static io.meshgate.translator.match.SnapshotFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.match.MatchResult.NotMatched;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link RouteMatcher} picks the virtual host of a request: exact domain, longest wildcard, then {@code *}. */
class RouteMatcherHostTest {

    private final RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80,
            host("exact", List.of("api.example.com"), route("exact")),
            host("deep-wildcard", List.of("*.eu.example.com"), route("deep-wildcard")),
            host("wildcard", List.of("*.example.com"), route("wildcard")),
            host("any", List.of("*"), route("any")))));

    @Test
    void exactDomainBeatsWildcard() {
        assertThat(routeOf(matcher.match(requestTo("api.example.com", "/")))).isEqualTo("exact");
    }

    @Test
    void wildcardMatchesOneOrMoreLabels() {
        assertThat(routeOf(matcher.match(requestTo("www.example.com", "/")))).isEqualTo("wildcard");
        assertThat(routeOf(matcher.match(requestTo("a.b.example.com", "/")))).isEqualTo("wildcard");
    }

    @Test
    void wildcardDoesNotMatchItsBareSuffix() {
        assertThat(routeOf(matcher.match(requestTo("example.com", "/")))).isEqualTo("any");
    }

    @Test
    void longestWildcardSuffixWins() {
        assertThat(routeOf(matcher.match(requestTo("shop.eu.example.com", "/")))).isEqualTo("deep-wildcard");
        assertThat(routeOf(matcher.match(requestTo("a.shop.eu.example.com", "/")))).isEqualTo("deep-wildcard");
    }

    @Test
    void starCatchesEveryOtherHost() {
        assertThat(routeOf(matcher.match(requestTo("other.org", "/")))).isEqualTo("any");
    }

    @Test
    void hostIsMatchedWithoutPortAndIgnoringCase() {
        assertThat(routeOf(matcher.match(requestTo("API.Example.COM:8080", "/")))).isEqualTo("exact");
        assertThat(routeOf(matcher.match(requestTo("WWW.EU.EXAMPLE.COM:443", "/")))).isEqualTo("deep-wildcard");
    }

    @Test
    void ipv6LiteralKeepsItsBracketsAndLosesItsPort() {
        RouteMatcher ipv6 = RouteMatcher.of(snapshot(listener(80, host("[::1]", route("loopback")))));
        assertThat(routeOf(ipv6.match(requestTo("[::1]:8080", "/")))).isEqualTo("loopback");
        assertThat(routeOf(ipv6.match(requestTo("[::1]", "/")))).isEqualTo("loopback");
        assertThat(routeOf(ipv6.match(requestTo("[::2]:8080", "/")))).isEqualTo("UNKNOWN_HOST");
    }

    @Test
    void unknownHostWithoutCatchAll() {
        RouteMatcher noStar = RouteMatcher.of(snapshot(listener(80, host("api.example.com", route("r")))));
        MatchResult result = noStar.match(requestTo("web.example.com", "/"));
        assertThat(routeOf(result)).isEqualTo("UNKNOWN_HOST");
        assertThat(((NotMatched) result).reason().status()).isEqualTo(404);
    }

    @Test
    void firstVirtualHostWinsADuplicatedDomain() {
        RouteMatcher duplicated = RouteMatcher.of(snapshot(listener(80,
                host("first", List.of("a.example.com"), route("first")),
                host("second", List.of("a.example.com"), route("second")))));
        assertThat(routeOf(duplicated.match(requestTo("a.example.com", "/")))).isEqualTo("first");
    }

    private static SimpleRequest requestTo(String authority, String path) {
        return new SimpleRequest(80, authority, "GET", "http", path, "", Map.of());
    }
}
