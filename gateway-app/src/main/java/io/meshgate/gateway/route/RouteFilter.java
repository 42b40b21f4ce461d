package io.meshgate.gateway.route;

import io.meshgate.translator.ir.Route;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;

/**
 * A filter of the gateway's forwarding chain that only some routes need: a route's chain is compiled once per
 * configuration with just the filters whose {@link #appliesTo} holds, so a plain forward does not pass through
 * fault, CORS or mirror filters that would do nothing for it. {@link GlobalFilter} beans that are not route filters
 * are in every chain.
 */
public interface RouteFilter extends GlobalFilter, Ordered {

    /** Whether requests matched to {@code route} go through this filter. */
    boolean appliesTo(Route route);
}
