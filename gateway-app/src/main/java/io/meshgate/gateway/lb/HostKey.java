package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;

/** An endpoint as the hash tables see it: the string it is hashed by, and its weight. */
final class HostKey {

    private HostKey() {
    }

    /** {@code address:port}, IPv6 addresses in brackets, as Envoy prints an endpoint's address. */
    static String of(Endpoint endpoint) {
        String host = endpoint.address().contains(":") ? "[" + endpoint.address() + "]" : endpoint.address();
        return host + ":" + endpoint.port();
    }

    /** An endpoint's weight as the hash tables count it: at least 1, as Envoy requires. */
    static long weight(Endpoint endpoint) {
        return Math.max(1, endpoint.weight());
    }
}
