package io.meshgate.gateway.filter;

/**
 * The authority Envoy gives a mirrored request: {@code -shadow} appended to the host, before any port, so the
 * mirror's logs tell shadow traffic apart ({@code api.mystore.com:8080} → {@code api.mystore.com-shadow:8080}).
 */
final class ShadowAuthority {

    private ShadowAuthority() {
    }

    static String of(String authority) {
        int portStart = portStart(authority);
        if (portStart < 0) {
            return authority + "-shadow";
        }
        return authority.substring(0, portStart) + "-shadow" + authority.substring(portStart);
    }

    /** The index of the {@code :} before the port, or -1; an IPv6 literal is bracketed, so its colons don't count. */
    private static int portStart(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            return -1;
        }
        int v6End = authority.lastIndexOf(']');
        return v6End < 0 || v6End < colon ? colon : -1;
    }
}
