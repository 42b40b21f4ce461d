package io.meshgate.gateway.passthrough;

import io.meshgate.gateway.tls.TlsListeners;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.Server;
import io.meshgate.translator.ir.TlsRoute;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a TLS connection on one port gets by its SNI name, as Envoy picks a gateway's filter chain: the route of an
 * exact name first, then of the longest wildcard suffix ({@code *.example.com}), then of {@code *}; a name the port's
 * servers that terminate TLS list is theirs on the same terms. A client without SNI only matches {@code *}. A name no
 * route takes goes on to TLS termination when the port terminates TLS, and is refused otherwise.
 */
final class SniRoutes {

    private static final Set<String> TERMINATING = Set.of("SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL");

    /** Where a connection goes. */
    sealed interface Target {
    }

    /** Relayed, still encrypted, by a tls route. */
    record Relay(TlsRoute route) implements Target {
    }

    /** Handed on to the port's TLS termination and HTTP routing. */
    record Terminate() implements Target {
    }

    private static final Terminate TERMINATE = new Terminate();

    private record Suffix(String suffix, Target target) {
    }

    private final Map<String, Target> exact;
    private final List<Suffix> suffixes;
    private final @Nullable Target any;
    private final boolean terminates;

    private SniRoutes(Map<String, Target> exact, List<Suffix> suffixes, @Nullable Target any, boolean terminates) {
        this.exact = exact;
        this.suffixes = suffixes;
        this.any = any;
        this.terminates = terminates;
    }

    /** The table of a listener; in server order, the first server (and its first route) listing a name keeps it. */
    static SniRoutes of(Listener listener) {
        Map<String, Target> byName = new LinkedHashMap<>();
        // the port terminates TLS only where its listener is opened to (an HTTPS port with such a server)
        boolean terminates = TlsListeners.terminates(listener);
        for (Server server : listener.servers()) {
            boolean terminating = server.tls().map(t -> TERMINATING.contains(t.mode())).orElse(false);
            if (terminating) {
                if (!terminates) {
                    continue;
                }
                server.hosts().forEach(h -> byName.putIfAbsent(h.substring(h.indexOf('/') + 1), TERMINATE));
                continue;
            }
            for (TlsRoute route : listener.tlsRoutes()) {
                if (route.server().equals(server.name())) {
                    Relay relay = new Relay(route);
                    route.sniHosts().forEach(h -> byName.putIfAbsent(h, relay));
                }
            }
        }
        Map<String, Target> exact = new HashMap<>();
        Map<String, Target> wildcards = new HashMap<>();
        Target any = null;
        for (Map.Entry<String, Target> entry : byName.entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("*")) {
                any = any == null ? entry.getValue() : any;
            } else if (name.startsWith("*")) {
                wildcards.putIfAbsent(name.substring(1), entry.getValue());
            } else {
                exact.putIfAbsent(name, entry.getValue());
            }
        }
        List<Suffix> suffixes = wildcards.entrySet().stream()
                .map(e -> new Suffix(e.getKey(), e.getValue()))
                .sorted(Comparator.comparingInt((Suffix s) -> s.suffix().length()).reversed())
                .toList();
        return new SniRoutes(Map.copyOf(exact), suffixes, any, terminates);
    }

    /** Where a connection with this SNI name (null: none) goes, or null when it is to be closed. */
    @Nullable Target lookup(@Nullable String serverName) {
        Target found = find(serverName);
        return found != null ? found : terminates ? TERMINATE : null;
    }

    private @Nullable Target find(@Nullable String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return any;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        Target target = exact.get(name);
        if (target != null) {
            return target;
        }
        for (Suffix suffix : suffixes) {
            if (name.endsWith(suffix.suffix()) && name.length() > suffix.suffix().length()) {
                return suffix.target();
            }
        }
        return any;
    }
}
