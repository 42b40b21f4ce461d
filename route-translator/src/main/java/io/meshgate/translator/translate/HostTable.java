package io.meshgate.translator.translate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Values keyed by host, where a key may be a {@code *.suffix} wildcard. A lookup takes the exact host, else the
 * longest wildcard that covers it, in time proportional to the host's labels, not to the table's size.
 */
final class HostTable<V> {

    private final Map<String, V> exact = new HashMap<>();
    private final Map<String, V> bySuffix = new HashMap<>();

    /** The value stored under exactly this key (a host or a wildcard). */
    Optional<V> get(String key) {
        return Optional.ofNullable(key.startsWith("*.") ? bySuffix.get(key.substring(1)) : exact.get(key));
    }

    void put(String key, V value) {
        if (key.startsWith("*.")) {
            bySuffix.put(key.substring(1), value);
        } else {
            exact.put(key, value);
        }
    }

    /** The value for a host: its exact entry, else the longest wildcard covering it. */
    Optional<V> find(String host) {
        V value = exact.get(host);
        for (int dot = host.indexOf('.'); value == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
            value = bySuffix.get(host.substring(dot));
        }
        return Optional.ofNullable(value);
    }
}
