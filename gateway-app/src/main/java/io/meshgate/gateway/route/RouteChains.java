package io.meshgate.gateway.route;

import io.meshgate.gateway.runner.LiveConfig;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.VirtualHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * The filter chain of every route of the live configuration, compiled when a configuration is first used: the
 * filters sorted by their order, without the {@link RouteFilter}s a route does not need. Routes with the same needs
 * share one array. A request looks its chain up by the identity of its matched route, so the lookup costs one hash
 * of an object reference, whatever the number of routes.
 */
public final class RouteChains {

    private record Compiled(LiveConfig config, Map<Route, GlobalFilter[]> chains) {
    }

    private final List<GlobalFilter> filters;
    private final GlobalFilter terminal;
    private volatile Compiled compiled;

    /**
     * Creates the chains of {@code filters}, each ending in {@code terminal}, which comes after every filter, even
     * one of the lowest precedence.
     */
    public RouteChains(List<? extends GlobalFilter> filters, GlobalFilter terminal) {
        List<GlobalFilter> sorted = new ArrayList<>(filters);
        AnnotationAwareOrderComparator.sort(sorted);
        this.filters = List.copyOf(sorted);
        this.terminal = terminal;
    }

    /** The filters a request matched to {@code route} of {@code config} goes through, in order. */
    GlobalFilter[] chain(LiveConfig config, Route route) {
        Compiled current = compiled;
        if (current != null && current.config() != config
                && config.generation() < current.config().generation()) {
            // a request that started before the last swap: its routes are compiled alone, the newer chains stay
            return compileOne(route);
        }
        if (current == null || current.config() != config) {
            current = compile(config);
        }
        GlobalFilter[] chain = current.chains().get(route);
        // a route of a newer snapshot than the one compiled, seen by a request that started before the swap
        return chain != null ? chain : compileOne(route);
    }

    private synchronized Compiled compile(LiveConfig config) {
        Compiled current = compiled;
        if (current != null && current.config() == config) {
            return current;
        }
        Map<Route, GlobalFilter[]> chains = new IdentityHashMap<>();
        Map<List<GlobalFilter>, GlobalFilter[]> shared = new HashMap<>();
        for (Listener listener : config.snapshot().listeners()) {
            for (VirtualHost host : listener.virtualHosts()) {
                for (Route route : host.routes()) {
                    List<GlobalFilter> needed = needed(route);
                    chains.put(route, shared.computeIfAbsent(needed, n -> n.toArray(GlobalFilter[]::new)));
                }
            }
        }
        Compiled next = new Compiled(config, chains);
        if (current == null || config.generation() >= current.config().generation()) {
            compiled = next;
        }
        return next;
    }

    private GlobalFilter[] compileOne(Route route) {
        return needed(route).toArray(GlobalFilter[]::new);
    }

    private List<GlobalFilter> needed(Route route) {
        List<GlobalFilter> needed = new ArrayList<>(filters.size() + 1);
        for (GlobalFilter filter : filters) {
            if (!(filter instanceof RouteFilter scoped) || scoped.appliesTo(route)) {
                needed.add(filter);
            }
        }
        needed.add(terminal);
        return needed;
    }
}
