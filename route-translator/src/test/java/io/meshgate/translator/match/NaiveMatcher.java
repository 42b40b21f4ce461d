package io.meshgate.translator.match;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.Snapshot;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.Matched;
import io.meshgate.translator.match.MatchResult.NotMatched;
import io.meshgate.translator.match.MatchResult.Reason;
import java.net.URLDecoder;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The semantics {@link RouteMatcher} must have, written as plainly as possible: a scan over every listener, virtual
 * host, domain and route, with no index. Slow on purpose; only the properties use it.
 */
final class NaiveMatcher {

    private final Snapshot snapshot;

    NaiveMatcher(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    MatchResult match(RequestView request) {
        for (Listener listener : snapshot.listeners()) {
            if (listener.port() == request.port()) {
                return match(request, listener.virtualHosts(), listener);
            }
        }
        return new NotMatched(Reason.NO_LISTENER, "");
    }

    MatchResult matchMesh(RequestView request) {
        return match(request, snapshot.mesh(), null);
    }

    private static MatchResult match(RequestView request, List<VirtualHost> hosts, @Nullable Listener listener) {
        String authority = request.authority();
        String host = authority == null ? "" : hostOf(authority).toLowerCase(Locale.ROOT);
        if (host.isEmpty()) {
            return new NotMatched(Reason.MISSING_HOST, "");
        }
        VirtualHost virtualHost = virtualHostFor(host, hosts);
        if (virtualHost == null) {
            return new NotMatched(Reason.UNKNOWN_HOST, "");
        }
        for (Route route : virtualHost.routes()) {
            if (holds(route.match(), request)) {
                return new Matched(listener, virtualHost, route);
            }
        }
        return new NotMatched(Reason.NO_ROUTE, "");
    }

    private static String hostOf(String authority) {
        if (authority.startsWith("[")) {
            return authority.contains("]") ? authority.substring(0, authority.indexOf(']') + 1) : authority;
        }
        String[] parts = authority.split(":", -1);
        return parts.length == 2 ? parts[0] : authority;
    }

    private static @Nullable VirtualHost virtualHostFor(String host, List<VirtualHost> hosts) {
        for (VirtualHost virtualHost : hosts) {
            for (String domain : virtualHost.domains()) {
                if (domain.toLowerCase(Locale.ROOT).equals(host)) {
                    return virtualHost;
                }
            }
        }
        VirtualHost longest = null;
        int longestSuffix = -1;
        for (VirtualHost virtualHost : hosts) {
            for (String domain : virtualHost.domains()) {
                String suffix = domain.toLowerCase(Locale.ROOT).substring(1);
                if (domain.startsWith("*.") && host.endsWith(suffix) && host.length() > suffix.length()
                        && suffix.length() > longestSuffix) {
                    longest = virtualHost;
                    longestSuffix = suffix.length();
                }
            }
        }
        if (longest != null) {
            return longest;
        }
        return hosts.stream().filter(h -> h.domains().contains("*")).findFirst().orElse(null);
    }

    private static boolean holds(RouteMatch match, RequestView request) {
        return uriHolds(match.uri(), match.ignoreUriCase(), request.path())
                && holds(match.scheme(), request.scheme())
                && holds(match.method(), request.method())
                && holds(match.authority(), request.authority())
                && match.headers().stream().allMatch(h -> holds(h.matcher(), request.header(h.name())))
                && match.withoutHeaders().stream().noneMatch(h -> holds(h.matcher(), request.header(h.name())))
                && match.queryParams().stream().allMatch(q -> holds(q.matcher(), firstValue(request.query(), q)))
                && match.port().map(port -> port == request.port()).orElse(true);
    }

    private static boolean uriHolds(Optional<StringMatcher> uri, boolean ignoreCase, String path) {
        if (uri.isEmpty()) {
            return true;
        }
        StringMatcher matcher = uri.get();
        if (matcher instanceof StringMatcher.Exact exact) {
            return ignoreCase ? path.equalsIgnoreCase(exact.value()) : path.equals(exact.value());
        }
        if (matcher instanceof StringMatcher.Prefix prefix) {
            return path.regionMatches(ignoreCase, 0, prefix.value(), 0, prefix.value().length());
        }
        return holds(matcher, path);
    }

    private static boolean holds(Optional<StringMatcher> matcher, @Nullable String value) {
        return matcher.map(m -> holds(m, value)).orElse(true);
    }

    private static boolean holds(StringMatcher matcher, @Nullable String value) {
        if (value == null) {
            return false;
        }
        if (matcher instanceof StringMatcher.Exact exact) {
            return value.equals(exact.value());
        }
        if (matcher instanceof StringMatcher.Prefix prefix) {
            return value.startsWith(prefix.value());
        }
        if (matcher instanceof StringMatcher.Regex regex) {
            try {
                return Pattern.compile(regex.regex()).matcher(value).matches();
            } catch (PatternSyntaxException e) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable String firstValue(String query, HeaderMatch param) {
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] nameValue = pair.split("=", 2);
            if (URLDecoder.decode(nameValue[0], UTF_8).equals(param.name())) {
                return nameValue.length == 1 ? "" : URLDecoder.decode(nameValue[1], UTF_8);
            }
        }
        return null;
    }
}
