package io.meshgate.gateway.route;

/**
 * The order of a route's filters, in one place, as Envoy Gateway's {@code newOrderedHTTPFilter}: a route's chain runs
 * them from the top down (lower orders first), each only where its route needs it ({@link RouteFilter#appliesTo}).
 * A request passes the policies first, then the local answers that come after them, then what shapes the request
 * for the backend, then the tries; the timeout and the response write wrap all of it, as they act when the chain
 * below them has returned. An application's {@code GlobalFilter} without an order
 * ({@code Ordered.LOWEST_PRECEDENCE}) runs last, right before the proxy; one with an order takes its place among
 * these numbers.
 *
 * <p>Placing a new filter is choosing its row here.
 */
public enum FilterOrder {

    /** The route {@code timeout}: outermost, so that it also bounds the body the response write streams. */
    TIMEOUT(-2),
    /** Writes the proxied response (its status, headers, body, trailers) once the tries below have one. */
    RESPONSE_WRITE(-1),
    /** CORS: answers preflights and marks answers, right after routing, as Envoy's CORS filter comes first. */
    CORS(10),
    /** Rate limits: after CORS answers preflights, before faults and everything that reaches toward a backend. */
    RATE_LIMIT(50),
    /** Fault injection: delays and aborts. */
    FAULT(100),
    /** The rule's request and response header operations. */
    HEADERS(200),
    /** The local answers, redirect and direct response (a rule has one action), after the policies above. */
    LOCAL_ANSWER(300),
    /** Rewrites of the path and authority sent to the backend. */
    REWRITE(400),
    /** Mirrors: after the header operations and rewrites, so mirrors see what the main backend sees. */
    MIRROR(500),
    /** Retries: each try runs the filters below it again. */
    RETRY(10_090),
    /** The weighted destination, subset and endpoint of one try. */
    DESTINATION(10_100);

    private final int order;

    FilterOrder(int order) {
        this.order = order;
    }

    /** The {@link org.springframework.core.Ordered} value of the filters in this row. */
    public int order() {
        return order;
    }
}
