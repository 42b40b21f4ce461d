package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One complete, immutable routing configuration. A request is always served by exactly one snapshot.
 *
 * @param version a content hash of the resources it was built from
 * @param listeners one per Gateway server port, sorted by port
 * @param mesh virtual hosts of VirtualServices bound to {@code mesh} (sidecar routing), sorted by name
 * @param clusters every cluster a route refers to, sorted by name
 */
public record Snapshot(String version, List<Listener> listeners, List<VirtualHost> mesh, List<Cluster> clusters) {
    public Snapshot {
        requireNonNull(version, "version");
        listeners = List.copyOf(listeners);
        mesh = List.copyOf(mesh);
        clusters = List.copyOf(clusters);
    }
}
