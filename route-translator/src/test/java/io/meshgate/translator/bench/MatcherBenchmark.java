package io.meshgate.translator.bench;

import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.RoutePolicies;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult;
import io.meshgate.translator.match.RouteMatcher;
import io.meshgate.translator.match.SimpleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * How {@link RouteMatcher#match} scales with the size of the route table.
 *
 * <p>Layout: one listener on port 80 with {@code rules / 10} virtual hosts named {@code svc-0000.example.com},
 * {@code svc-0001.example.com}, ..., each with the same 10 rules: 10 rules is 1 host, 1,000 rules 100 hosts and
 * 10,000 rules 1,000 hosts. Each host's rules, in order:
 * <ol start="0">
 *   <li>prefix {@code /api/v1/orders} with header {@code x-canary: true} (a canary split, first as in Istio)
 *   <li>prefix {@code /api/v1/orders}
 *   <li>exact {@code /healthz}, method {@code GET}
 *   <li>prefix {@code /api/v1/users}, method regex {@code GET|HEAD}
 *   <li>regex {@code /api/v1/items/[0-9]+}
 *   <li>prefix {@code /api/v1/items}
 *   <li>prefix {@code /static/}, ignoring case
 *   <li>exact {@code /login}, method {@code POST}
 *   <li>prefix {@code /api/v2/} with header {@code x-tenant} present
 *   <li>prefix {@code /api/v1/events}
 * </ol>
 * {@link #firstRuleOfFirstHost} sends {@code GET http://svc-0000.example.com/api/v1/orders/42} with
 * {@code x-canary: true}; {@link #lastRuleOfLastHost} sends {@code GET http://svc-<last>.example.com/api/v1/events/42}.
 *
 * <p>Matching costs time linear in the length of the host and the path (they are hashed once) and independent of
 * the number of hosts and rules. So that the comparison measures only the latter, every host has the same rules
 * and both requests have a host and a path of the same length; only the table size and the rule's position differ.
 *
 * <p>Run with {@code ./mvnw -pl route-translator test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-cp %classpath org.openjdk.jmh.Main MatcherBenchmark"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MatcherBenchmark {

    private static final int RULES_PER_HOST = 10;
    private static final SourceRef ORIGIN = SourceRef.of("VirtualService", "bench", "bench");

    @Param({"10", "1000", "10000"})
    public int rules;

    private RouteMatcher matcher;
    private SimpleRequest firstRuleOfFirstHost;
    private SimpleRequest lastRuleOfLastHost;

    @Setup
    public void setUp() {
        int hosts = rules / RULES_PER_HOST;
        List<VirtualHost> virtualHosts = new ArrayList<>();
        for (int host = 0; host < hosts; host++) {
            virtualHosts.add(virtualHost(host));
        }
        Listener listener = new Listener("0.0.0.0_80", 80, "HTTP", List.of(), virtualHosts);
        matcher = RouteMatcher.of(new Snapshot("bench", List.of(listener), List.of(), List.of()));
        firstRuleOfFirstHost = SimpleRequest.parse("GET http://" + domain(0) + "/api/v1/orders/42",
                Map.of("x-canary", "true"));
        lastRuleOfLastHost = SimpleRequest.parse("GET http://" + domain(hosts - 1) + "/api/v1/events/42");
        expect(firstRuleOfFirstHost, domain(0) + "/rule-0");
        expect(lastRuleOfLastHost, domain(hosts - 1) + "/rule-" + (RULES_PER_HOST - 1));
    }

    @Benchmark
    public MatchResult firstRuleOfFirstHost() {
        return matcher.match(firstRuleOfFirstHost);
    }

    @Benchmark
    public MatchResult lastRuleOfLastHost() {
        return matcher.match(lastRuleOfLastHost);
    }

    /** Fails the run rather than measure a request that misses or picks the wrong route. */
    private void expect(SimpleRequest request, String route) {
        MatchResult result = matcher.match(request);
        if (!(result instanceof MatchResult.Matched matched) || !matched.route().name().equals(route)) {
            throw new IllegalStateException("Expected route " + route + " for " + request + ", got " + result);
        }
    }

    private static VirtualHost virtualHost(int host) {
        List<RouteMatch> matches = List.of(
                match(prefix("/api/v1/orders"), false, null, List.of(new HeaderMatch("x-canary", exact("true")))),
                match(prefix("/api/v1/orders"), false, null, List.of()),
                match(exact("/healthz"), false, exact("GET"), List.of()),
                match(prefix("/api/v1/users"), false, new StringMatcher.Regex("GET|HEAD"), List.of()),
                match(new StringMatcher.Regex("/api/v1/items/[0-9]+"), false, null, List.of()),
                match(prefix("/api/v1/items"), false, null, List.of()),
                match(prefix("/static/"), true, null, List.of()),
                match(exact("/login"), false, exact("POST"), List.of()),
                match(prefix("/api/v2/"), false, null, List.of(new HeaderMatch("x-tenant", present()))),
                match(prefix("/api/v1/events"), false, null, List.of()));
        List<Route> routes = new ArrayList<>();
        for (int rule = 0; rule < matches.size(); rule++) {
            String name = domain(host) + "/rule-" + rule;
            routes.add(new Route(name, ORIGIN.at("spec.http[" + rule + "]"), matches.get(rule),
                    new RouteAction.DirectResponse(200, Optional.empty()), RoutePolicies.NONE));
        }
        return new VirtualHost(domain(host) + ":80", List.of(domain(host)), "bench/gw/http", routes);
    }

    private static String domain(int host) {
        return String.format("svc-%04d.example.com", host);
    }

    private static RouteMatch match(StringMatcher uri, boolean ignoreUriCase, @Nullable StringMatcher method,
            List<HeaderMatch> headers) {
        return new RouteMatch(Optional.of(uri), ignoreUriCase, Optional.empty(), Optional.ofNullable(method),
                Optional.empty(), headers, List.of(), List.of(), Optional.empty());
    }

    private static StringMatcher exact(String value) {
        return new StringMatcher.Exact(value);
    }

    private static StringMatcher prefix(String value) {
        return new StringMatcher.Prefix(value);
    }

    private static StringMatcher present() {
        return new StringMatcher.Present();
    }

    /** Lets the benchmark run from an IDE. */
    public static void main(String[] args) throws Exception {
        org.openjdk.jmh.Main.main(args.length > 0 ? args : new String[] {MatcherBenchmark.class.getSimpleName()});
    }
}
