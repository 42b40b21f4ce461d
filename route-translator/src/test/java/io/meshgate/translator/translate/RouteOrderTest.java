package io.meshgate.translator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.HeaderMatch;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.RouteAction;
import io.meshgate.translator.ir.RouteMatch;
import io.meshgate.translator.ir.RoutePolicies;
import io.meshgate.translator.ir.SourceRef;
import io.meshgate.translator.ir.StringMatcher;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Istio's route order in a virtual host: per-port generation, stop at a catch-all, catch-alls last on merge. */
class RouteOrderTest {

    @Test
    void catchAllIsNoPathOrPrefixSlashWithoutHeaderOrQueryConditions() {
        assertThat(RouteOrder.isCatchAll(RouteMatch.ANY, Optional.empty())).isTrue();
        assertThat(RouteOrder.isCatchAll(uri(new StringMatcher.Prefix("/")), Optional.empty())).isTrue();
        assertThat(RouteOrder.isCatchAll(uri(new StringMatcher.Prefix("/a")), Optional.empty())).isFalse();
        assertThat(RouteOrder.isCatchAll(uri(new StringMatcher.Regex(".*")), Optional.empty())).isFalse();
        RouteMatch withHeader = new RouteMatch(Optional.empty(), false, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(new HeaderMatch("x", new StringMatcher.Present())), List.of(), List.of(),
                Optional.empty());
        assertThat(RouteOrder.isCatchAll(withHeader, Optional.empty())).isFalse();
        RouteMatch method = new RouteMatch(Optional.empty(), false, Optional.empty(),
                Optional.of(new StringMatcher.Exact("GET")), Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty());
        assertThat(RouteOrder.isCatchAll(method, Optional.empty())).isFalse();
    }

    @Test
    void aPortConditionHoldsOnItsOwnListenerOnly() {
        assertThat(RouteOrder.isCatchAll(port(8080), Optional.of(8080))).isTrue();
        assertThat(RouteOrder.isCatchAll(port(8080), Optional.empty())).isFalse();
    }

    @Test
    void forPortLeavesOutOtherPortsAndStopsAfterTheFirstCatchAll() {
        Route other = route("other", port(9090));
        Route api = route("api", uri(new StringMatcher.Prefix("/api")));
        Route all = route("all", RouteMatch.ANY);
        Route late = route("late", uri(new StringMatcher.Prefix("/late")));
        assertThat(RouteOrder.forPort(List.of(other, api, all, late), 80)).containsExactly(api, all);
        assertThat(RouteOrder.forMesh(List.of(other, api, all, late))).containsExactly(other, api, all);
    }

    @Test
    void combineMovesCatchAllsLastAndKeepsRelativeOrder() {
        Route aHealth = route("a-health", uri(new StringMatcher.Prefix("/health")));
        Route aAll = route("a-all", RouteMatch.ANY);
        Route bOrders = route("b-orders", uri(new StringMatcher.Prefix("/orders")));
        Route bAll = route("b-all", uri(new StringMatcher.Prefix("/")));
        assertThat(RouteOrder.combine(List.of(aHealth, aAll, bOrders, bAll), Optional.of(80)))
                .containsExactly(aHealth, bOrders, aAll, bAll);
    }

    private static Route route(String name, RouteMatch match) {
        return new Route(name, SourceRef.of("VirtualService", "ns", name), match,
                new RouteAction.DirectResponse(200, Optional.empty()), RoutePolicies.NONE);
    }

    private static RouteMatch uri(StringMatcher uri) {
        return new RouteMatch(Optional.of(uri), false, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), List.of(), Optional.empty());
    }

    private static RouteMatch port(int port) {
        return new RouteMatch(Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), List.of(), List.of(), Optional.of(port));
    }
}
