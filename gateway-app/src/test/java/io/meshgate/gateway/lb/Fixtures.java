package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Endpoints and request hashes for the selector tests. */
final class Fixtures {

    static final int KEYS = 100_000;

    private Fixtures() {
    }

    static Endpoint endpoint(String address, int port, int weight) {
        return new Endpoint(address, port, Map.of(), weight, Optional.empty(),
                SourceRef.of("ServiceEntry", "default", "backends"));
    }

    /** {@code count} endpoints of weight 1, {@code 10.0.0.1:8080}, {@code 10.0.0.2:8080}, … */
    static List<Endpoint> endpoints(int count) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            endpoints.add(endpoint("10.0.0." + i, 8080, 1));
        }
        return endpoints;
    }

    /** Uniformly random 64-bit request hashes, the same on every run. */
    static long[] keys() {
        return new SplittableRandom(42).longs(KEYS).toArray();
    }

    static Endpoint[] selectAll(HashSelector selector, long[] keys) {
        Endpoint[] selected = new Endpoint[keys.length];
        for (int i = 0; i < keys.length; i++) {
            selected[i] = selector.select(keys[i]);
        }
        return selected;
    }

    /** The fraction of keys that {@code endpoint} receives. */
    static double share(Endpoint[] selected, Endpoint endpoint) {
        long count = 0;
        for (Endpoint e : selected) {
            if (e.equals(endpoint)) {
                count++;
            }
        }
        return (double) count / selected.length;
    }

    /** The fraction of keys whose endpoint differs between two selections. */
    static double moved(Endpoint[] before, Endpoint[] after) {
        long count = 0;
        for (int i = 0; i < before.length; i++) {
            if (!before[i].equals(after[i])) {
                count++;
            }
        }
        return (double) count / before.length;
    }
}
