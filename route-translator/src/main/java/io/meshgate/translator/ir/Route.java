package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

/**
 * One match block of one VirtualService http rule, with what to do when it matches.
 *
 * @param name {@code virtualservice/<ns>/<name>/http/<i>/match/<j>}
 * @param origin the VirtualService and the field path of the rule ({@code spec.http[i]})
 * @param match the conditions, all of which must hold
 * @param action forward, redirect or respond directly
 * @param policies what applies around the action: headers, fault, timeout, retries, mirrors, CORS
 */
public record Route(String name, SourceRef origin, RouteMatch match, RouteAction action, RoutePolicies policies) {
    public Route {
        requireNonNull(name, "name");
        requireNonNull(origin, "origin");
        requireNonNull(match, "match");
        requireNonNull(action, "action");
        requireNonNull(policies, "policies");
    }
}
