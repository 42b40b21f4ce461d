package io.meshgate.translator.translate;

import java.util.Comparator;
import java.util.Optional;

/** Istio's host name rules: exact names, left-most {@code *.} wildcards and {@code *}. */
final class Hosts {

    /** Exact names first (alphabetically), then wildcards longest first, then {@code *}: the order Envoy prefers. */
    static final Comparator<String> SPECIFIC_FIRST = Comparator.comparingInt(Hosts::rank)
            .thenComparingInt(h -> rank(h) == 1 ? -h.length() : 0)
            .thenComparing(Comparator.naturalOrder());

    private Hosts() {
    }

    /**
     * The hosts both patterns accept, when one of them covers the other: the more specific of the two. A Gateway
     * server host {@code *.mystore.com} and a VirtualService host {@code api.mystore.com} give
     * {@code api.mystore.com}.
     */
    static Optional<String> intersection(String a, String b) {
        if (a.equals(b) || covers(a, b)) {
            return Optional.of(b);
        }
        if (covers(b, a)) {
            return Optional.of(a);
        }
        return Optional.empty();
    }

    /** Whether every host {@code specific} accepts is accepted by {@code general}. */
    static boolean covers(String general, String specific) {
        if (general.equals("*") || general.equals(specific)) {
            return true;
        }
        if (!general.startsWith("*.")) {
            return false;
        }
        String suffix = general.substring(1);
        return specific.endsWith(suffix) && specific.length() > suffix.length()
                && (!specific.startsWith("*") || specific.length() > general.length());
    }

    private static int rank(String host) {
        if (host.equals("*")) {
            return 2;
        }
        return host.startsWith("*") ? 1 : 0;
    }
}
