package io.meshgate.translator.match;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.VirtualHost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Finds what serves a request host as Envoy picks a virtual host: the exact domain, else the longest matching
 * {@code *.suffix} wildcard, else {@code *}. Host names compare case-insensitively; when two virtual hosts claim
 * the same domain, the first one wins.
 *
 * <p>A lookup hashes the host and probes the exact table; on a miss, one pass from right to left hashes every
 * suffix and probes the wildcard table at each dot. Its cost depends on the host's length, not on how many virtual
 * hosts there are.
 *
 * @param <T> what a virtual host is mapped to
 */
final class HostIndex<T> {

    private final KeyTable<T> exact;
    /** Keyed by the suffix after {@code *.}. */
    private final KeyTable<T> wildcards;
    private final @Nullable T catchAll;

    private HostIndex(KeyTable<T> exact, KeyTable<T> wildcards, @Nullable T catchAll) {
        this.exact = exact;
        this.wildcards = wildcards;
        this.catchAll = catchAll;
    }

    private static final HostIndex<?> EMPTY = new HostIndex<>(new KeyTable<>(Map.of(), true),
            new KeyTable<>(Map.of(), true), null);

    /** An index that finds nothing. */
    @SuppressWarnings("unchecked")
    static <T> HostIndex<T> empty() {
        return (HostIndex<T>) EMPTY;
    }

    static <T> HostIndex<T> build(List<VirtualHost> virtualHosts, Function<VirtualHost, T> valueOf) {
        Map<String, T> exact = new LinkedHashMap<>();
        Map<String, T> wildcards = new LinkedHashMap<>();
        T catchAll = null;
        for (VirtualHost virtualHost : virtualHosts) {
            T value = requireNonNull(valueOf.apply(virtualHost), "value");
            for (String domain : virtualHost.domains()) {
                String key = AsciiCase.toLower(domain);
                if (key.equals("*")) {
                    catchAll = catchAll == null ? value : catchAll;
                } else if (key.startsWith("*.")) {
                    wildcards.putIfAbsent(key.substring(2), value);
                } else {
                    exact.putIfAbsent(key, value);
                }
            }
        }
        return new HostIndex<>(new KeyTable<>(exact, true), new KeyTable<>(wildcards, true), catchAll);
    }

    /**
     * Where the host part of an authority ends: before a {@code :port}, or after the {@code ]} of an IPv6 literal.
     * An authority with several colons and no brackets is a bare IPv6 address and has no port.
     */
    static int hostEnd(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority.length() : close + 1;
        }
        int colon = authority.indexOf(':');
        return colon >= 0 && authority.indexOf(':', colon + 1) < 0 ? colon : authority.length();
    }

    /** What serves the host {@code authority[0, hostEnd)}, or null. */
    @Nullable T find(String authority, int hostEnd) {
        T found = exact.get(authority, 0, hostEnd);
        if (found == null && !wildcards.isEmpty()) {
            found = longestWildcard(authority, hostEnd);
        }
        return found != null ? found : catchAll;
    }

    private @Nullable T longestWildcard(String host, int end) {
        T longest = null;
        int hash = 0;
        int power = 1;
        // A dot at index 0 would leave the wildcard's '*' matching nothing, which Envoy does not allow.
        for (int i = end - 1; i > 0; i--) {
            char c = host.charAt(i);
            if (c == '.') {
                T found = wildcards.get(host, i + 1, end, hash);
                longest = found != null ? found : longest;
            }
            hash = wildcards.prepend(c, power, hash);
            power *= 31;
        }
        return longest;
    }
}
