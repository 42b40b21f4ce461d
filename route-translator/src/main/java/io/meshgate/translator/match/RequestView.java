package io.meshgate.translator.match;

import org.jspecify.annotations.Nullable;

/**
 * What the matcher reads of a request. The gateway implements it over its own request object, so matching copies
 * nothing.
 */
public interface RequestView {

    /** The Gateway server port the request arrived on (before any port mapping). */
    int port();

    /** The Host header or {@code :authority} as sent, possibly with a port; null or empty when missing. */
    @Nullable String authority();

    /** The method, such as {@code GET}. */
    String method();

    /** {@code http} or {@code https}. */
    String scheme();

    /** The path without the query string, such as {@code /orders/1}. */
    String path();

    /** The raw query string without {@code ?}, or empty. */
    String query();

    /** All values of a header joined by {@code ,}, or null when absent; {@code name} is lower case. */
    @Nullable String header(String name);

    /**
     * The Gateway server ({@link io.meshgate.translator.ir.Server#name()}) the connection's TLS handshake selected,
     * or null on a plain-text connection. A request on a TLS connection is routed only among that server's virtual
     * hosts, as Envoy routes it with the route configuration of the filter chain its SNI picked.
     */
    default @Nullable String server() {
        return null;
    }
}
