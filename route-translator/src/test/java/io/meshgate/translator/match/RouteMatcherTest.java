package io.meshgate.translator.match;

import static io.meshgate.translator.match.SnapshotFixture.exact;
import static io.meshgate.translator.match.SnapshotFixture.headers;
import static io.meshgate.translator.match.SnapshotFixture.host;
import static io.meshgate.translator.match.SnapshotFixture.listener;
import static io.meshgate.translator.match.SnapshotFixture.match;
import static io.meshgate.translator.match.SnapshotFixture.meshSnapshot;
import static io.meshgate.translator.match.SnapshotFixture.prefix;
import static io.meshgate.translator.match.SnapshotFixture.present;
import static io.meshgate.translator.match.SnapshotFixture.regex;
import static io.meshgate.translator.match.SnapshotFixture.route;
import static io.meshgate.translator.match.SnapshotFixture.routeOf;
import static io.meshgate.translator.match.SnapshotFixture.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.Matched;
import io.meshgate.translator.match.MatchResult.NotMatched;
import io.meshgate.translator.match.MatchResult.Reason;
import io.meshgate.translator.match.SnapshotFixture.MatchBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Route conditions, route order, misses and mesh matching; virtual host selection is in RouteMatcherHostTest. */
class RouteMatcherTest {

    @Nested
    class Uri {
        @Test
        void exactMatchesOnlyThatPath() {
            MatchBuilder m = match().uri(exact("/orders"));
            assertThat(holds(m, "GET http://example.com/orders")).isTrue();
            assertThat(holds(m, "GET http://example.com/orders/1")).isFalse();
            assertThat(holds(m, "GET http://example.com/Orders")).isFalse();
        }

        @Test
        void exactIgnoresTheQuery() {
            assertThat(holds(match().uri(exact("/orders")), "GET http://example.com/orders?page=2")).isTrue();
        }

        @Test
        void prefixMatchesPathsStartingWithIt() {
            MatchBuilder m = match().uri(prefix("/api"));
            assertThat(holds(m, "GET http://example.com/api")).isTrue();
            assertThat(holds(m, "GET http://example.com/api/v1")).isTrue();
            assertThat(holds(m, "GET http://example.com/apis")).isTrue();
            assertThat(holds(m, "GET http://example.com/ap")).isFalse();
            assertThat(holds(m, "GET http://example.com/API")).isFalse();
        }

        @Test
        void regexMustMatchTheWholePath() {
            MatchBuilder m = match().uri(regex("/\\d+"));
            assertThat(holds(m, "GET http://example.com/123")).isTrue();
            assertThat(holds(m, "GET http://example.com/a123")).isFalse();
            assertThat(holds(m, "GET http://example.com/123a")).isFalse();
        }

        @Test
        void regexWithoutSlashIsAFullMatchToo() {
            RouteMatcher matcher = matcherFor(match().uri(regex("\\d+")));
            assertThat(routeOf(matcher.match(request("123")))).isEqualTo("r");
            assertThat(routeOf(matcher.match(request("a123")))).isEqualTo("NO_ROUTE");
        }

        @Test
        void regexWithAlternationIsNotNarrowedToItsFirstBranch() {
            assertThat(holds(match().uri(regex("/a|/b")), "GET http://example.com/b")).isTrue();
            MatchBuilder grouped = match().uri(regex("/api/(v1|v2)/.*"));
            assertThat(holds(grouped, "GET http://example.com/api/v2/x")).isTrue();
            assertThat(holds(grouped, "GET http://example.com/api/v3/x")).isFalse();
        }

        @Test
        void regexWithQuantifiedLiteralMatchesWithoutThatLiteral() {
            assertThat(holds(match().uri(regex("/ab*")), "GET http://example.com/a")).isTrue();
        }

        @Test
        void invalidRegexNeverMatchesButOtherRoutesStillDo() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80, host("example.com",
                    route("broken", match().uri(regex("/(unclosed"))), route("fallback")))));
            assertThat(routeOf(matcher.match(SimpleRequest.parse("GET http://example.com/(unclosed"))))
                    .isEqualTo("fallback");
        }

        @Test
        void ignoreUriCaseAppliesToExactAndPrefix() {
            assertThat(holds(match().uri(exact("/Orders")).ignoreUriCase(), "GET http://example.com/oRDERS"))
                    .isTrue();
            assertThat(holds(match().uri(prefix("/API/")).ignoreUriCase(), "GET http://example.com/api/v1"))
                    .isTrue();
            assertThat(holds(match().uri(prefix("/API/")).ignoreUriCase(), "GET http://example.com/apx/v1"))
                    .isFalse();
        }

        @Test
        void ignoreUriCaseDoesNotApplyToRegex() {
            MatchBuilder m = match().uri(regex("/orders/\\d+")).ignoreUriCase();
            assertThat(holds(m, "GET http://example.com/orders/1")).isTrue();
            assertThat(holds(m, "GET http://example.com/ORDERS/1")).isFalse();
        }

        @Test
        void noUriConditionMatchesEveryPath() {
            assertThat(holds(match(), "GET http://example.com/anything/at/all")).isTrue();
        }
    }

    @Nested
    class RequestAttributes {
        @Test
        void scheme() {
            MatchBuilder m = match().scheme(exact("https"));
            assertThat(holds(m, "GET https://example.com/")).isTrue();
            assertThat(holds(m, "GET http://example.com/")).isFalse();
        }

        @Test
        void method() {
            MatchBuilder m = match().method(exact("POST"));
            assertThat(holds(m, "POST http://example.com/")).isTrue();
            assertThat(holds(m, "GET http://example.com/")).isFalse();
            assertThat(holds(match().method(regex("GET|HEAD")), "HEAD http://example.com/")).isTrue();
        }

        @Test
        void authorityExactComparesTheAuthorityAsSentWithItsPort() {
            MatchBuilder m = match().authority(exact("example.com:8080"));
            assertThat(holds(m, "GET http://example.com:8080/")).isTrue();
            assertThat(holds(m, "GET http://example.com/")).isFalse();
        }

        @Test
        void authorityRegex() {
            MatchBuilder m = match().authority(regex("example\\.com(:\\d+)?"));
            assertThat(holds(m, "GET http://example.com:8080/")).isTrue();
            assertThat(holds(m, "GET http://example.com/")).isTrue();
            assertThat(holds(m, "GET http://www.example.com:8080/")).isFalse();
        }

        @Test
        void port() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(
                    listener(80, host("example.com", route("only-8080", match().port(8080)))),
                    listener(8080, host("example.com", route("only-8080", match().port(8080))))));
            assertThat(routeOf(matcher.match(SimpleRequest.parse("GET http://example.com:8080/"))))
                    .isEqualTo("only-8080");
            assertThat(routeOf(matcher.match(SimpleRequest.parse("GET http://example.com/")))).isEqualTo("NO_ROUTE");
        }
    }

    @Nested
    class Headers {
        @Test
        void exactPrefixAndRegex() {
            assertThat(holds(match().header("x-env", exact("prod")), "GET http://example.com/", "x-env", "prod"))
                    .isTrue();
            assertThat(holds(match().header("x-env", exact("prod")), "GET http://example.com/", "x-env", "production"))
                    .isFalse();
            assertThat(holds(match().header("x-env", prefix("pro")), "GET http://example.com/", "x-env", "production"))
                    .isTrue();
            assertThat(holds(match().header("x-user", regex("u-\\d+")), "GET http://example.com/", "x-user", "u-42"))
                    .isTrue();
            assertThat(holds(match().header("x-user", regex("u-\\d+")), "GET http://example.com/", "x-user", "u-42x"))
                    .isFalse();
        }

        @Test
        void presentHoldsForAnyValueIncludingEmpty() {
            MatchBuilder m = match().header("x-debug", present());
            assertThat(holds(m, "GET http://example.com/", "x-debug", "")).isTrue();
            assertThat(holds(m, "GET http://example.com/")).isFalse();
        }

        @Test
        void missingHeaderFailsEveryCondition() {
            assertThat(holds(match().header("x-env", prefix("")), "GET http://example.com/")).isFalse();
            assertThat(holds(match().header("x-env", regex(".*")), "GET http://example.com/")).isFalse();
        }

        @Test
        void headerNamesInRequestsAreCaseInsensitive() {
            assertThat(holds(match().header("x-env", exact("prod")), "GET http://example.com/", "X-Env", "prod"))
                    .isTrue();
        }

        @Test
        void withoutHeadersHoldsWhenTheHeaderIsAbsent() {
            assertThat(holds(match().withoutHeader("x-canary", exact("true")), "GET http://example.com/")).isTrue();
        }

        @Test
        void withoutHeadersHoldsWhenTheValueDiffers() {
            MatchBuilder m = match().withoutHeader("x-canary", exact("true"));
            assertThat(holds(m, "GET http://example.com/", "x-canary", "false")).isTrue();
            assertThat(holds(m, "GET http://example.com/", "x-canary", "true")).isFalse();
        }

        @Test
        void withoutHeadersPresentRequiresTheHeaderToBeAbsent() {
            MatchBuilder m = match().withoutHeader("authorization", present());
            assertThat(holds(m, "GET http://example.com/")).isTrue();
            assertThat(holds(m, "GET http://example.com/", "authorization", "Bearer x")).isFalse();
        }
    }

    @Nested
    class QueryParameters {
        @Test
        void exactOnTheFirstValue() {
            MatchBuilder m = match().queryParam("v", exact("2"));
            assertThat(holds(m, "GET http://example.com/?a=1&v=2")).isTrue();
            assertThat(holds(m, "GET http://example.com/?v=1&v=2")).isFalse();
            assertThat(holds(m, "GET http://example.com/?v=22")).isFalse();
        }

        @Test
        void regexOnTheValue() {
            MatchBuilder m = match().queryParam("id", regex("[0-9]+"));
            assertThat(holds(m, "GET http://example.com/?id=42")).isTrue();
            assertThat(holds(m, "GET http://example.com/?id=42a")).isFalse();
        }

        @Test
        void presentHoldsForAKeyWithoutValue() {
            MatchBuilder m = match().queryParam("debug", present());
            assertThat(holds(m, "GET http://example.com/?debug")).isTrue();
            assertThat(holds(m, "GET http://example.com/?debug=")).isTrue();
            assertThat(holds(m, "GET http://example.com/?debugx=1")).isFalse();
            assertThat(holds(m, "GET http://example.com/")).isFalse();
        }

        @Test
        void keyWithoutEqualsHasAnEmptyValue() {
            assertThat(holds(match().queryParam("flag", exact("")), "GET http://example.com/?flag&x=1")).isTrue();
        }

        @Test
        void namesAndValuesArePercentDecodedWithPlusAsSpace() {
            assertThat(holds(match().queryParam("q", exact("a b/ü")), "GET http://example.com/?q=a+b%2F%C3%BC"))
                    .isTrue();
            assertThat(holds(match().queryParam("my key", exact("1")), "GET http://example.com/?my%20key=1"))
                    .isTrue();
        }

        @Test
        void malformedEscapesAreKeptAsWritten() {
            assertThat(holds(match().queryParam("q", exact("100%zz%")), "GET http://example.com/?q=100%zz%"))
                    .isTrue();
        }
    }

    @Nested
    class RouteOrder {
        @Test
        void severalMatchBlocksOfOneRuleActAsOr() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80, host("example.com",
                    route("rule/match/0", match().uri(prefix("/a"))),
                    route("rule/match/1", match().header("x-a", present()))))));
            assertThat(routeOf(matcher.match(request("/a")))).isEqualTo("rule/match/0");
            assertThat(routeOf(matcher.match(request("/b", "x-a", "1")))).isEqualTo("rule/match/1");
            assertThat(routeOf(matcher.match(request("/b")))).isEqualTo("NO_ROUTE");
        }

        @Test
        void firstMatchWinsEvenOverAMoreSpecificLaterRoute() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80, host("example.com",
                    route("catch-all", match().uri(prefix("/"))),
                    route("exact", match().uri(exact("/orders")))))));
            assertThat(routeOf(matcher.match(request("/orders")))).isEqualTo("catch-all");
        }

        @Test
        void firstMatchWinsAcrossCaseModesAndRegexes() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80, host("example.com",
                    route("regex", match().uri(regex(".*/v2")).header("x-v", present())),
                    route("ignore-case", match().uri(prefix("/API")).ignoreUriCase()),
                    route("exact-case", match().uri(prefix("/api"))),
                    route("any")))));
            assertThat(routeOf(matcher.match(request("/api/v2", "x-v", "1")))).isEqualTo("regex");
            assertThat(routeOf(matcher.match(request("/api/v2")))).isEqualTo("ignore-case");
            assertThat(routeOf(matcher.match(request("/other")))).isEqualTo("any");
        }

        @Test
        void laterRouteWinsWhenEarlierCandidatesFail() {
            RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80, host("example.com",
                    route("v2", match().uri(prefix("/api")).header("x-version", exact("v2"))),
                    route("v1", match().uri(prefix("/api/")))))));
            assertThat(routeOf(matcher.match(request("/api/x")))).isEqualTo("v1");
        }

        @Test
        void aMatchReturnsTheSamePrebuiltResult() {
            RouteMatcher matcher = matcherFor(match().uri(prefix("/")));
            assertThat(matcher.match(request("/a"))).isSameAs(matcher.match(request("/b")));
        }
    }

    @Nested
    class Misses {
        private final RouteMatcher matcher = RouteMatcher.of(snapshot(listener(80,
                host("example.com", route("r", match().uri(exact("/only")))))));

        @Test
        void noListenerOnThePort() {
            MatchResult result = matcher.match(SimpleRequest.parse("GET http://example.com:9090/only"));
            assertThat(routeOf(result)).isEqualTo("NO_LISTENER");
        }

        @Test
        void missingHostIsABadRequest() {
            for (String authority : new String[] {null, "", ":8080"}) {
                MatchResult result = matcher.match(new SimpleRequest(80, authority, "GET", "http", "/only", "",
                        Map.of()));
                assertThat(routeOf(result)).as("authority %s", authority).isEqualTo("MISSING_HOST");
                assertThat(((NotMatched) result).reason().status()).isEqualTo(400);
            }
        }

        @Test
        void noRouteOfTheHostMatches() {
            MatchResult result = matcher.match(request("/other"));
            assertThat(routeOf(result)).isEqualTo("NO_ROUTE");
            assertThat(((NotMatched) result).detail()).contains("/other");
        }
    }

    @Nested
    class Mesh {
        private final RouteMatcher matcher = RouteMatcher.of(meshSnapshot(
                host("reviews", List.of("reviews.default.svc.cluster.local", "reviews"),
                        route("reviews-9080", match().port(9080)), route("reviews-any"))));

        @Test
        void matchesMeshVirtualHostsWithoutAListener() {
            MatchResult result = matcher.matchMesh(new SimpleRequest(80, "reviews", "GET", "http", "/", "", Map.of()));
            assertThat(routeOf(result)).isEqualTo("reviews-any");
            assertThat(((Matched) result).listener()).isNull();
        }

        @Test
        void portOnlyCountsForPortConditions() {
            MatchResult result = matcher.matchMesh(
                    SimpleRequest.parse("GET http://reviews.default.svc.cluster.local:9080/"));
            assertThat(routeOf(result)).isEqualTo("reviews-9080");
        }

        @Test
        void gatewayMatchingDoesNotSeeMeshHosts() {
            assertThat(routeOf(matcher.match(SimpleRequest.parse("GET http://reviews/")))).isEqualTo("NO_LISTENER");
        }

        @Test
        void unknownMeshHost() {
            assertThat(routeOf(matcher.matchMesh(SimpleRequest.parse("GET http://ratings/"))))
                    .isEqualTo("UNKNOWN_HOST");
        }
    }

    /** Whether a single route with this match is picked for the request. */
    private static boolean holds(MatchBuilder match, String request, String... headers) {
        MatchResult result = matcherFor(match).match(SimpleRequest.parse(request, headers(headers)));
        if (result instanceof NotMatched notMatched) {
            assertThat(notMatched.reason()).isEqualTo(Reason.NO_ROUTE);
        }
        return result instanceof Matched;
    }

    /** One route called "r" for every host, served on ports 80, 443 and 8080. */
    private static RouteMatcher matcherFor(MatchBuilder match) {
        VirtualHost host = host("any", List.of("*"), route("r", match));
        return RouteMatcher.of(snapshot(listener(80, host), listener(443, host), listener(8080, host)));
    }

    private static SimpleRequest request(String path, String... headers) {
        return new SimpleRequest(80, "example.com", "GET", "http", path, "", headers(headers));
    }
}
