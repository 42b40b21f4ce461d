package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Route;
import io.meshgate.translator.ir.VirtualHost;
import org.jspecify.annotations.Nullable;

/** The route chosen for a request, or why there is none. */
public sealed interface MatchResult {

    /**
     * A route matched.
     *
     * @param listener the listener of the request's port, or null in the mesh
     */
    record Matched(@Nullable Listener listener, VirtualHost virtualHost, Route route) implements MatchResult {
        public Matched {
            requireNonNull(virtualHost, "virtualHost");
            requireNonNull(route, "route");
        }
    }

    /**
     * No route applies.
     *
     * @param reason the kind of miss, which decides the status code
     * @param detail a sentence for logs and {@code explain}
     */
    record NotMatched(Reason reason, String detail) implements MatchResult {
        public NotMatched {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }

    /** Why no route applies. */
    enum Reason {
        /** No listener on the request's port. */
        NO_LISTENER(404),
        /** The request has no Host header: Istio answers 400. */
        MISSING_HOST(400),
        /** No virtual host serves the request's host: 404 (response flag NR). */
        UNKNOWN_HOST(404),
        /**
         * The connection's TLS handshake selected a server that does not serve the host, another server of the port
         * does: 404 (response flag NR), as the selected server's routes answer; a gateway may answer 421
         * Misdirected Request instead, so that an HTTP/2 client that reused the connection opens a new one.
         */
        OTHER_SERVER(404),
        /** The host is served but none of its routes matches: 404 (response flag NR). */
        NO_ROUTE(404);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        /** The HTTP status the gateway answers with. */
        public int status() {
            return status;
        }
    }
}
