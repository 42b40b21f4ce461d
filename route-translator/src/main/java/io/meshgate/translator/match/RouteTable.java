package io.meshgate.translator.match;

import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.StringMatcher;
import io.meshgate.translator.ir.VirtualHost;
import io.meshgate.translator.match.MatchResult.Matched;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The routes of one virtual host, indexed by uri condition. A request's candidates come from three ascending lists
 * (case-sensitive uri index, {@code ignoreUriCase} uri index, routes with no indexable uri condition); merging them
 * visits candidates in route order, so the first whose remaining conditions hold is the route an in-order scan of
 * every route would pick.
 */
final class RouteTable {

    private final VirtualHost virtualHost;
    /** One prebuilt result per route, so a match allocates nothing. */
    private final Matched[] results;
    private final RouteConditions[] conditions;
    private final UriIndex exactCase;
    private final UriIndex ignoreCase;
    /** Routes with no uri condition, or a regex with no literal prefix, ascending. */
    private final int[] always;

    private RouteTable(@Nullable Listener listener, VirtualHost virtualHost) {
        this.virtualHost = virtualHost;
        List<Route> routes = virtualHost.routes();
        results = new Matched[routes.size()];
        conditions = new RouteConditions[routes.size()];
        UriIndex.Builder exactCaseIndex = new UriIndex.Builder(false);
        UriIndex.Builder ignoreCaseIndex = new UriIndex.Builder(true);
        List<Integer> unindexed = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            Route route = routes.get(i);
            results[i] = new Matched(listener, virtualHost, route);
            UriIndex.Builder index = route.match().ignoreUriCase() ? ignoreCaseIndex : exactCaseIndex;
            if (!addToIndex(route.match().uri().orElse(null), i, index, exactCaseIndex)) {
                unindexed.add(i);
            }
            conditions[i] = RouteConditions.of(route.match());
        }
        exactCase = exactCaseIndex.build();
        ignoreCase = ignoreCaseIndex.build();
        always = unindexed.stream().mapToInt(Integer::intValue).toArray();
    }

    static RouteTable build(@Nullable Listener listener, VirtualHost virtualHost) {
        return new RouteTable(listener, virtualHost);
    }

    VirtualHost virtualHost() {
        return virtualHost;
    }

    /** The first route, in order, whose conditions all hold, or null. */
    @Nullable Matched match(RequestView request) {
        String path = request.path();
        int[] a = exactCase.candidates(path);
        int[] b = ignoreCase.candidates(path);
        int[] c = always;
        int i = 0;
        int j = 0;
        int k = 0;
        while (true) {
            int headA = i < a.length ? a[i] : Integer.MAX_VALUE;
            int headB = j < b.length ? b[j] : Integer.MAX_VALUE;
            int headC = k < c.length ? c[k] : Integer.MAX_VALUE;
            int next = Math.min(headA, Math.min(headB, headC));
            if (next == Integer.MAX_VALUE) {
                return null;
            }
            if (next == headA) {
                i++;
            } else if (next == headB) {
                j++;
            } else {
                k++;
            }
            if (conditions[next].holds(request)) {
                return results[next];
            }
        }
    }

    /**
     * Indexes a route by its uri condition, and tells whether it was. A regex is indexed under its literal prefix,
     * always case-sensitively since {@code ignoreUriCase} does not apply to regexes, and is still evaluated.
     */
    private static boolean addToIndex(@Nullable StringMatcher uri, int route, UriIndex.Builder index,
            UriIndex.Builder exactCaseIndex) {
        if (uri instanceof StringMatcher.Exact exact) {
            index.addExact(exact.value(), route);
            return true;
        }
        if (uri instanceof StringMatcher.Prefix prefix) {
            index.addPrefix(prefix.value(), route);
            return true;
        }
        if (uri instanceof StringMatcher.Regex regex) {
            String prefix = RegexPrefix.of(regex.regex());
            if (!prefix.isEmpty()) {
                exactCaseIndex.addPrefix(prefix, route);
                return true;
            }
        }
        return false;
    }
}
