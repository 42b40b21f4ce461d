package io.meshgate.translator.match;

import static io.meshgate.translator.match.SnapshotFixture.exact;
import static io.meshgate.translator.match.SnapshotFixture.prefix;
import static io.meshgate.translator.match.SnapshotFixture.present;
import static io.meshgate.translator.match.SnapshotFixture.regex;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.Matched;
import io.meshgate.translator.match.MatchResult.NotMatched;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * The indexed {@link RouteMatcher} picks the same route as {@link NaiveMatcher}'s in-order scan, or misses for the
 * same reason. Route tables and requests draw from the same small pools of hosts, paths (over a 3-letter alphabet),
 * headers and parameters, so that exact, prefix, regex and wildcard conditions collide often.
 */
class IndexedMatcherProperties {

    private static final String PATH_CHARS = "/aA";

    @Property(tries = 400)
    void gatewayMatchingAgreesWithAnInOrderScan(@ForAll("snapshots") Snapshot snapshot,
            @ForAll("requests") List<SimpleRequest> requests) {
        RouteMatcher indexed = RouteMatcher.of(snapshot);
        NaiveMatcher naive = new NaiveMatcher(snapshot);
        for (SimpleRequest request : requests) {
            String expected = describe(naive.match(request));
            Statistics.label("outcome").collect(expected.startsWith("route") ? "matched" : expected);
            assertThat(describe(indexed.match(request))).as("%s", request).isEqualTo(expected);
        }
    }

    @Property(tries = 200)
    void meshMatchingAgreesWithAnInOrderScan(@ForAll("snapshots") Snapshot snapshot,
            @ForAll("requests") List<SimpleRequest> requests) {
        RouteMatcher indexed = RouteMatcher.of(snapshot);
        NaiveMatcher naive = new NaiveMatcher(snapshot);
        for (SimpleRequest request : requests) {
            String expected = describe(naive.matchMesh(request));
            Statistics.label("outcome").collect(expected.startsWith("route") ? "matched" : expected);
            assertThat(describe(indexed.matchMesh(request))).as("%s", request).isEqualTo(expected);
        }
    }

    /** A listener on port 80, usually one on 8080, sometimes a second one on 80 (which must be ignored). */
    @Provide
    Arbitrary<Snapshot> snapshots() {
        Arbitrary<List<HostSpec>> hosts = hostSpecs().list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<List<ListenerSpec>> listeners = Combinators.combine(hosts, hosts.optional(0.7), hosts.optional(0.1))
                .as((on80, on8080, again80) -> {
                    List<ListenerSpec> specs = new ArrayList<>(List.of(new ListenerSpec(80, on80)));
                    on8080.ifPresent(h -> specs.add(new ListenerSpec(8080, h)));
                    again80.ifPresent(h -> specs.add(new ListenerSpec(80, h)));
                    return specs;
                });
        return Combinators.combine(listeners, hosts).as(IndexedMatcherProperties::assemble);
    }

    @Provide
    Arbitrary<List<SimpleRequest>> requests() {
        Arbitrary<String> authorities = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("a.com", "A.com:8080", "b.a.com", "x.b.a.com", "y.x.b.a.com", "c.org",
                        "other.net", "[::1]:80")),
                Tuple.of(1, Arbitraries.of(".a.com", "", ":80"))).injectNull(0.005);
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(Arbitraries.of("x-a", "x-b"),
                Arbitraries.of("1", "12", "a", "")).ofMaxSize(2);
        Arbitrary<Integer> ports = Arbitraries.frequency(Tuple.of(10, 80), Tuple.of(10, 8080), Tuple.of(1, 9090));
        Arbitrary<RequestLine> lines = Combinators.combine(ports, authorities,
                Arbitraries.of("GET", "POST", "HEAD"), Arbitraries.of("http", "https"), paths(), queries())
                .as(RequestLine::new);
        return Combinators.combine(lines, headers).as(RequestLine::toRequest).list().ofMinSize(1).ofMaxSize(25);
    }

    private Arbitrary<HostSpec> hostSpecs() {
        Arbitrary<List<String>> domains = Arbitraries.of("a.com", "A.COM", "b.a.com", "x.b.a.com", "*.a.com",
                "*.B.a.com", "*.x.b.a.com", "*", "*", "c.org", "*.org", "[::1]").list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(domains, routeMatches().list().ofMaxSize(6)).as(HostSpec::new);
    }

    private Arbitrary<RouteMatch> routeMatches() {
        Arbitrary<StringMatcher> uri = Arbitraries.oneOf(
                paths().map(StringMatcher.Exact::new),
                paths().map(StringMatcher.Prefix::new),
                Arbitraries.of("/a.*", "/[aA]+", "/a|/A", "/A(a|/)*", "/a*", "/a?/", "/aA{1,2}", "(?i)/a.*", "/",
                        "/a[|]a", "/(", "[/]A.*").map(StringMatcher.Regex::new),
                Arbitraries.just(new StringMatcher.Present()));
        Arbitrary<UriSpec> uris = Combinators.combine(uri.optional(0.8), Arbitraries.of(true, false))
                .as(UriSpec::new);
        Arbitrary<Optional<StringMatcher>> methods = Arbitraries.of(exact("GET"), exact("POST"), regex("GET|HEAD"))
                .optional(0.2);
        Arbitrary<Optional<StringMatcher>> schemes = Arbitraries.of(exact("https"), prefix("http")).optional(0.1);
        Arbitrary<Optional<StringMatcher>> authorities = Arbitraries.of(exact("a.com"), exact("A.com:8080"),
                prefix("b."), regex(".*\\.com(:\\d+)?")).optional(0.1);
        Arbitrary<List<HeaderMatch>> headers = conditions(Arbitraries.of("x-a", "x-b"), Arbitraries.of(exact("1"),
                prefix("1"), regex("[0-9]+"), present()));
        Arbitrary<List<HeaderMatch>> queryParams = conditions(Arbitraries.of("q", "r", "s t"), Arbitraries.of(
                exact("1"), exact("a b"), prefix(""), regex("[0-9]*"), present()));
        Arbitrary<Optional<Integer>> ports = Arbitraries.of(80, 8080).optional(0.1);
        // A RouteMatch has nine components, more than one combine() takes: combine the uri part separately.
        Arbitrary<Function<UriSpec, RouteMatch>> rest = Combinators.combine(methods, schemes, authorities, headers,
                headers, queryParams, ports).as((method, scheme, authority, with, without, query, port) ->
                u -> new RouteMatch(u.uri(), u.ignoreCase(), scheme, method, authority, with, without, query, port));
        return Combinators.combine(uris, rest).as((u, build) -> build.apply(u));
    }

    /** Mostly none, so that enough routes match. */
    private static Arbitrary<List<HeaderMatch>> conditions(Arbitrary<String> names, Arbitrary<StringMatcher> values) {
        Arbitrary<List<HeaderMatch>> some = Combinators.combine(names, values).as(HeaderMatch::new).list()
                .ofMinSize(1).ofMaxSize(2);
        return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.just(List.of())), Tuple.of(1, some));
    }

    private static Arbitrary<String> paths() {
        return Arbitraries.strings().withChars(PATH_CHARS).ofMaxLength(3).map(s -> "/" + s);
    }

    private static Arbitrary<String> queries() {
        Arbitrary<String> pair = Arbitraries.of("q=1", "q=12", "q=a+b", "q=a%20b", "q", "q=", "r=1", "r=x",
                "s+t=1", "s%20t=a%20b", "t=1", "");
        return pair.list().ofMaxSize(3).map(pairs -> String.join("&", pairs));
    }

    /** Numbers listeners, virtual hosts and routes so that every result names what it picked. */
    private static Snapshot assemble(List<ListenerSpec> listenerSpecs, List<HostSpec> meshSpecs) {
        int[] counter = {0};
        List<Listener> listeners = new ArrayList<>();
        for (ListenerSpec spec : listenerSpecs) {
            String name = "listener" + listeners.size() + "_" + spec.port();
            listeners.add(new Listener(name, spec.port(), "HTTP", List.of(), virtualHosts(spec.hosts(), counter)));
        }
        return new Snapshot("random", listeners, virtualHosts(meshSpecs, counter), List.of());
    }

    private static List<VirtualHost> virtualHosts(List<HostSpec> specs, int[] counter) {
        List<VirtualHost> hosts = new ArrayList<>();
        for (HostSpec spec : specs) {
            List<Route> routes = new ArrayList<>();
            for (RouteMatch match : spec.matches()) {
                routes.add(SnapshotFixture.route("r" + counter[0]++, match));
            }
            hosts.add(SnapshotFixture.host("vh" + counter[0]++, spec.domains(), routes.toArray(Route[]::new)));
        }
        return hosts;
    }

    private static String describe(MatchResult result) {
        if (result instanceof Matched matched) {
            String listener = matched.listener() == null ? "mesh" : matched.listener().name();
            return "route " + matched.route().name() + " of " + matched.virtualHost().name() + " on " + listener;
        }
        return ((NotMatched) result).reason().name();
    }

    private record UriSpec(Optional<StringMatcher> uri, boolean ignoreCase) {
    }

    private record HostSpec(List<String> domains, List<RouteMatch> matches) {
    }

    private record ListenerSpec(int port, List<HostSpec> hosts) {
    }

    private record RequestLine(int port, @Nullable String authority, String method, String scheme, String path,
            String query) {
        SimpleRequest toRequest(Map<String, String> headers) {
            return new SimpleRequest(port, authority, method, scheme, path, query, headers);
        }
    }
}
