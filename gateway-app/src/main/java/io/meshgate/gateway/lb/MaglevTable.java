package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;
import java.util.Comparator;
import java.util.List;

/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI 2016) as
 * Envoy builds it: a lookup table of prime size in which every endpoint fills slots in the order of its own
 * permutation, {@code (offset + i × skip) mod size}, with offset and skip from the xxHash64 of
 * {@code address:port} under seeds 0 and 1. Endpoints take turns filling in proportion to their weights, so each
 * owns a share of the slots that follows its weight. A request goes to the slot {@code hash mod size}.
 *
 * <p>Endpoints fill in the order of their {@code address:port}, so the table does not depend on the list's order.
 * Maglev aims at minimal rather than no disruption: when an endpoint leaves, its slots are refilled, and a few slots
 * of the other endpoints change owner too (Envoy's documentation: about twice as many keys move as with a ring).
 */
final class MaglevTable implements HashSelector {

    /** Istio's and Envoy's default table size. */
    static final long DEFAULT_TABLE_SIZE = 65537;
    /** The largest table size Envoy accepts. */
    static final long MAXIMUM_TABLE_SIZE = 5_000_011;

    private final Endpoint[] table;

    /**
     * @param endpoints the endpoints, at least one
     * @param tableSize a prime, at most {@value #MAXIMUM_TABLE_SIZE}
     */
    MaglevTable(List<Endpoint> endpoints, long tableSize) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
        }
        if (tableSize > MAXIMUM_TABLE_SIZE || !isPrime(tableSize)) {
            throw new IllegalArgumentException("tableSize: " + tableSize + " (expected: a prime up to "
                    + MAXIMUM_TABLE_SIZE + ")");
        }
        table = fill(endpoints.stream().sorted(Comparator.comparing(HostKey::of)).toList(), (int) tableSize);
    }

    /**
     * The table size for a configured one: Envoy's default for 0 or less, at most Envoy's maximum, raised to the
     * next prime.
     */
    static long tableSizeFor(long configured) {
        long size = configured <= 0 ? DEFAULT_TABLE_SIZE : Math.min(configured, MAXIMUM_TABLE_SIZE);
        while (!isPrime(size)) {
            size++;
        }
        return size;
    }

    @Override
    public Endpoint select(long hash) {
        return table[(int) Long.remainderUnsigned(hash, table.length)];
    }

    /** The number of slots. */
    int size() {
        return table.length;
    }

    private static Endpoint[] fill(List<Endpoint> endpoints, int size) {
        int count = endpoints.size();
        long[] offset = new long[count];
        long[] skip = new long[count];
        long[] weight = new long[count];
        long maxWeight = 0;
        for (int i = 0; i < count; i++) {
            String key = HostKey.of(endpoints.get(i));
            offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), size);
            skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), size - 1) + 1;
            weight[i] = HostKey.weight(endpoints.get(i));
            maxWeight = Math.max(maxWeight, weight[i]);
        }
        long[] next = new long[count];
        long[] target = new long[count];
        Endpoint[] table = new Endpoint[size];
        int filled = 0;
        // an endpoint of the largest weight fills a slot every round, one of a third of that weight every third round
        for (long round = 1; filled < size; round++) {
            for (int i = 0; i < count && filled < size; i++) {
                if (round * weight[i] < target[i]) {
                    continue;
                }
                target[i] += maxWeight;
                int slot;
                do {
                    slot = (int) ((offset[i] + skip[i] * next[i]++) % size);
                } while (table[slot] != null);
                table[slot] = endpoints.get(i);
                filled++;
            }
        }
        return table;
    }

    private static boolean isPrime(long n) {
        if (n < 2) {
            return false;
        }
        for (long d = 2; d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }
}
