package io.meshgate.translator.kubernetes;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How the Kubernetes source watches.
 *
 * @param namespaces the namespaces to watch; empty for all of them
 * @param quietPeriod how long changes must pause before a rebuild starts
 * @param maxDelay the longest a change waits for its rebuild while changes keep coming
 * @param resync how often informers replay their caches (zero: never; watches keep them current)
 */
public record KubernetesSourceOptions(List<String> namespaces, Duration quietPeriod, Duration maxDelay,
        Duration resync) {

    /** All namespaces; rebuild 10 ms after the last change, 50 ms after the first at the latest; no resync. */
    public static final KubernetesSourceOptions DEFAULTS = new KubernetesSourceOptions(List.of(),
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ZERO);

    public KubernetesSourceOptions {
        namespaces = List.copyOf(namespaces);
        requireNonNull(quietPeriod, "quietPeriod");
        requireNonNull(maxDelay, "maxDelay");
        requireNonNull(resync, "resync");
    }

    /** The namespaces to run informers for: each listed one, or {@code ""} for all. */
    List<String> namespacesOrAll() {
        return namespaces.isEmpty() ? List.of("") : namespaces;
    }
}
