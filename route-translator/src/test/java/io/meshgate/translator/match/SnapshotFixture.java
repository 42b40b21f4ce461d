package io.meshgate.translator.match;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds IR snapshots for matcher tests without going through the translator. */
final class SnapshotFixture {

    private static final SourceRef ORIGIN = SourceRef.of("VirtualService", "default", "fixture");

    private SnapshotFixture() {
    }

    static Snapshot snapshot(Listener... listeners) {
        return new Snapshot("test", List.of(listeners), List.of(), List.of());
    }

    static Snapshot meshSnapshot(VirtualHost... hosts) {
        return new Snapshot("test", List.of(), List.of(hosts), List.of());
    }

    static Listener listener(int port, VirtualHost... hosts) {
        return new Listener("0.0.0.0_" + port, port, "HTTP", List.of(), List.of(hosts));
    }

    static VirtualHost host(String name, List<String> domains, Route... routes) {
        return new VirtualHost(name, domains, "default/gateway/http", List.of(routes));
    }

    static VirtualHost host(String domain, Route... routes) {
        return host(domain, List.of(domain), routes);
    }

    static Route route(String name, RouteMatch match) {
        return new Route(name, ORIGIN.at("spec.http[0]"), match,
                new RouteAction.DirectResponse(200, Optional.of(name)), RoutePolicies.NONE);
    }

    static Route route(String name, MatchBuilder match) {
        return route(name, match.build());
    }

    static Route route(String name) {
        return route(name, RouteMatch.ANY);
    }

    static MatchBuilder match() {
        return new MatchBuilder();
    }

    static StringMatcher exact(String value) {
        return new StringMatcher.Exact(value);
    }

    static StringMatcher prefix(String value) {
        return new StringMatcher.Prefix(value);
    }

    static StringMatcher regex(String regex) {
        return new StringMatcher.Regex(regex);
    }

    static StringMatcher present() {
        return new StringMatcher.Present();
    }

    /** Headers from name, value, name, value, ... */
    static Map<String, String> headers(String... nameValues) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], nameValues[i + 1]);
        }
        return headers;
    }

    /** The matched route's name, or the reason nothing matched. */
    static String routeOf(MatchResult result) {
        if (result instanceof MatchResult.Matched matched) {
            return matched.route().name();
        }
        return ((MatchResult.NotMatched) result).reason().name();
    }

    /** A {@link RouteMatch} built condition by condition; unset conditions are absent. */
    static final class MatchBuilder {
        private Optional<StringMatcher> uri = Optional.empty();
        private boolean ignoreUriCase;
        private Optional<StringMatcher> scheme = Optional.empty();
        private Optional<StringMatcher> method = Optional.empty();
        private Optional<StringMatcher> authority = Optional.empty();
        private final List<HeaderMatch> headers = new ArrayList<>();
        private final List<HeaderMatch> withoutHeaders = new ArrayList<>();
        private final List<HeaderMatch> queryParams = new ArrayList<>();
        private Optional<Integer> port = Optional.empty();

        MatchBuilder uri(StringMatcher matcher) {
            uri = Optional.of(matcher);
            return this;
        }

        MatchBuilder ignoreUriCase() {
            ignoreUriCase = true;
            return this;
        }

        MatchBuilder scheme(StringMatcher matcher) {
            scheme = Optional.of(matcher);
            return this;
        }

        MatchBuilder method(StringMatcher matcher) {
            method = Optional.of(matcher);
            return this;
        }

        MatchBuilder authority(StringMatcher matcher) {
            authority = Optional.of(matcher);
            return this;
        }

        MatchBuilder header(String name, StringMatcher matcher) {
            headers.add(new HeaderMatch(name, matcher));
            return this;
        }

        MatchBuilder withoutHeader(String name, StringMatcher matcher) {
            withoutHeaders.add(new HeaderMatch(name, matcher));
            return this;
        }

        MatchBuilder queryParam(String name, StringMatcher matcher) {
            queryParams.add(new HeaderMatch(name, matcher));
            return this;
        }

        MatchBuilder port(int value) {
            port = Optional.of(value);
            return this;
        }

        RouteMatch build() {
            return new RouteMatch(uri, ignoreUriCase, scheme, method, authority, headers, withoutHeaders,
                    queryParams, port);
        }
    }
}
