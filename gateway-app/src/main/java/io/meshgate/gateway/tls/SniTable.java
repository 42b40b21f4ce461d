package io.meshgate.gateway.tls;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.netty.tcp.SslProvider;

/**
 * Which server's TLS settings a handshake on one port gets, by the name the client sent (SNI): an exact host first,
 * then the longest wildcard suffix ({@code *.example.com}), then a server of host {@code *}. A client without SNI
 * gets the {@code *} server too; without one, its handshake fails, as on Istio's gateways.
 */
final class SniTable {

    static final SniTable EMPTY = new SniTable(Map.of(), List.of(), null);

    private record Suffix(String suffix, SslProvider provider) {
    }

    private final Map<String, SslProvider> exact;
    private final List<Suffix> suffixes;
    private final @Nullable SslProvider any;

    private SniTable(Map<String, SslProvider> exact, List<Suffix> suffixes, @Nullable SslProvider any) {
        this.exact = exact;
        this.suffixes = suffixes;
        this.any = any;
    }

    /** Builds the table of a port; the first server listing a host keeps it, as Istio merges servers in order. */
    static SniTable of(Map<String, SslProvider> byHost) {
        Map<String, SslProvider> exact = new HashMap<>();
        Map<String, SslProvider> wildcards = new HashMap<>();
        SslProvider any = null;
        for (Map.Entry<String, SslProvider> entry : byHost.entrySet()) {
            String host = entry.getKey().toLowerCase(Locale.ROOT);
            if (host.equals("*")) {
                any = any == null ? entry.getValue() : any;
            } else if (host.startsWith("*")) {
                wildcards.putIfAbsent(host.substring(1), entry.getValue());
            } else {
                exact.putIfAbsent(host, entry.getValue());
            }
        }
        List<Suffix> suffixes = wildcards.entrySet().stream()
                .map(e -> new Suffix(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt((Suffix s) -> s.suffix().length()).reversed())
                .toList();
        return new SniTable(Map.copyOf(exact), suffixes, any);
    }

    /** The provider for a handshake, or null when no server of the port serves that name. */
    @Nullable SslProvider lookup(@Nullable String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return any;
        }
        String host = serverName.toLowerCase(Locale.ROOT);
        SslProvider provider = exact.get(host);
        if (provider != null) {
            return provider;
        }
        for (Suffix suffix : suffixes) {
            if (host.endsWith(suffix.suffix()) && host.length() > suffix.suffix().length()) {
                return suffix.provider();
            }
        }
        return any;
    }

    boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty() && any == null;
    }
}
