package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Envoy's ring hash ("ketama"): every endpoint owns points on a 64-bit ring, the hashes of
 * {@code address:port_0}, {@code address:port_1}, …, and a request goes to the owner of the first point at or after
 * its hash, wrapping around past the last point.
 *
 * <p>An endpoint gets {@code weight × minimumRingSize} points, so the ring holds at least {@code minimumRingSize}
 * points and the shares follow the weights. Unlike Envoy, which scales every endpoint's points so that the ring's
 * total stays just above the minimum, the number of an endpoint's points does not depend on the other endpoints:
 * when an endpoint leaves, only its keys move, and when one joins, only keys it takes over move. Only when the ring
 * would exceed {@value #MAXIMUM_RING_SIZE} points (Envoy's maximum) are all endpoints scaled down to fit.
 */
final class RingHash implements HashSelector {

    /** Istio's and Envoy's default {@code minimumRingSize}. */
    static final long DEFAULT_MINIMUM_RING_SIZE = 1024;
    /** Envoy's {@code maximum_ring_size} default, and the bound of {@code minimum_ring_size}. */
    static final long MAXIMUM_RING_SIZE = 8 * 1024 * 1024;

    private final long[] hashes;
    private final Endpoint[] owners;

    /**
     * @param endpoints the endpoints, at least one
     * @param minimumRingSize the points per unit of weight, from 1 to {@value #MAXIMUM_RING_SIZE}
     */
    RingHash(List<Endpoint> endpoints, long minimumRingSize) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("endpoints: [] (expected: at least one)");
        }
        if (minimumRingSize < 1 || minimumRingSize > MAXIMUM_RING_SIZE) {
            throw new IllegalArgumentException("minimumRingSize: " + minimumRingSize + " (expected: 1.."
                    + MAXIMUM_RING_SIZE + ")");
        }
        List<Point> points = points(endpoints, pointsPerWeight(endpoints, minimumRingSize));
        points.sort((a, b) -> Long.compareUnsigned(a.hash(), b.hash()));
        hashes = new long[points.size()];
        owners = new Endpoint[points.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = points.get(i).hash();
            owners[i] = points.get(i).owner();
        }
    }

    /** The ring size for a configured {@code minimumRingSize}: Envoy's default for 0 or less, at most the maximum. */
    static long minimumRingSizeFor(long configured) {
        return configured <= 0 ? DEFAULT_MINIMUM_RING_SIZE : Math.min(configured, MAXIMUM_RING_SIZE);
    }

    @Override
    public Endpoint select(long hash) {
        int low = 0;
        int high = hashes.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(hashes[middle], hash) < 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return owners[low == hashes.length ? 0 : low];
    }

    /** The number of points on the ring. */
    int size() {
        return hashes.length;
    }

    private static double pointsPerWeight(List<Endpoint> endpoints, long minimumRingSize) {
        long totalWeight = 0;
        for (Endpoint endpoint : endpoints) {
            totalWeight += HostKey.weight(endpoint);
        }
        return Math.min(minimumRingSize, (double) MAXIMUM_RING_SIZE / totalWeight);
    }

    private static List<Point> points(List<Endpoint> endpoints, double pointsPerWeight) {
        List<Point> points = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            String prefix = HostKey.of(endpoint) + "_";
            long count = Math.max(1, (long) Math.floor(HostKey.weight(endpoint) * pointsPerWeight));
            for (long i = 0; i < count; i++) {
                points.add(new Point(XxHash64.hash(prefix + i), endpoint));
            }
        }
        return points;
    }

    private record Point(long hash, Endpoint owner) {
    }
}
