package io.meshgate.translator.translate;

import io.meshgate.translator.ir.Cluster;
import io.meshgate.translator.ir.Listener;
import io.meshgate.translator.ir.VirtualHost;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The version of a snapshot: a hash of its whole content, so equal snapshots have equal versions. Routes are most of
 * a snapshot and most are carried over from the previous translation, so the hash of each virtual host's routes
 * comes worked out ({@link VirtualHosts#routeHash}); the rest is hashed here.
 */
final class SnapshotVersion {

    private static final long SEED = 1125899906842597L;

    private SnapshotVersion() {
    }

    static String of(List<Listener> listeners, List<VirtualHost> mesh, List<Cluster> clusters,
            ToLongFunction<VirtualHost> routeHash) {
        long hash = mix(SEED, listeners.size());
        for (Listener listener : listeners) {
            hash = mix(hash, listener.name().hashCode());
            hash = mix(hash, listener.port());
            hash = mix(hash, listener.protocol().hashCode());
            hash = mix(hash, listener.servers().hashCode());
            hash = mix(hash, listener.tlsRoutes().hashCode());
            hash = hosts(hash, listener.virtualHosts(), routeHash);
        }
        hash = hosts(hash, mesh, routeHash);
        hash = mix(hash, clusters.size());
        for (Cluster cluster : clusters) {
            hash = mix(hash, cluster.hashCode());
        }
        return String.format("%016x", hash);
    }

    private static long hosts(long hash, List<VirtualHost> hosts, ToLongFunction<VirtualHost> routeHash) {
        hash = mix(hash, hosts.size());
        for (VirtualHost host : hosts) {
            hash = mix(hash, host.name().hashCode());
            hash = mix(hash, host.domains().hashCode());
            hash = mix(hash, host.server().hashCode());
            hash = mix(hash, host.routes().size());
            hash = 31 * hash + routeHash.applyAsLong(host);
        }
        return hash;
    }

    private static long mix(long hash, int value) {
        return 31 * hash + value;
    }
}
