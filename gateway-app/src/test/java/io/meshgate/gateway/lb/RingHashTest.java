package io.meshgate.gateway.lb;

import static io.meshgate.gateway.lb.Fixtures.endpoint;
import static io.meshgate.gateway.lb.Fixtures.endpoints;
import static io.meshgate.gateway.lb.Fixtures.keys;
import static io.meshgate.gateway.lb.Fixtures.moved;
import static io.meshgate.gateway.lb.Fixtures.selectAll;
import static io.meshgate.gateway.lb.Fixtures.share;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshgate.translator.ir.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ring: weighted shares, stable picks, and how few keys move when endpoints come and go. */
class RingHashTest {

    @Test
    void sharesFollowTheWeights() {
        List<Endpoint> endpoints = List.of(endpoint("10.0.0.1", 80, 1), endpoint("10.0.0.2", 80, 2),
                endpoint("10.0.0.3", 80, 3));
        Endpoint[] selected = selectAll(new RingHash(endpoints, 16_384), keys());

        for (Endpoint endpoint : endpoints) {
            double expected = endpoint.weight() / 6.0;
            assertThat(share(selected, endpoint)).isCloseTo(expected, within(expected * 0.05));
        }
    }

    @Test
    void sharesAreRoughlyEvenAtTheDefaultRingSize() {
        List<Endpoint> endpoints = endpoints(3);
        Endpoint[] selected = selectAll(new RingHash(endpoints, RingHash.DEFAULT_MINIMUM_RING_SIZE), keys());

        for (Endpoint endpoint : endpoints) {
            assertThat(share(selected, endpoint)).isCloseTo(1 / 3.0, within(1 / 3.0 * 0.10));
        }
    }

    @Test
    void everyEndpointGetsMinimumRingSizePointsPerUnitOfWeight() {
        RingHash ring = new RingHash(List.of(endpoint("10.0.0.1", 80, 1), endpoint("10.0.0.2", 80, 2),
                endpoint("10.0.0.3", 80, 0)), 1024);

        assertThat(ring.size()).isEqualTo((1 + 2 + 1) * 1024);
    }

    @Test
    void sameKeySameEndpointWhateverTheListOrder() {
        List<Endpoint> endpoints = endpoints(7);
        List<Endpoint> shuffled = new ArrayList<>(endpoints);
        Collections.shuffle(shuffled, new Random(7));
        long[] keys = keys();

        Endpoint[] first = selectAll(new RingHash(endpoints, 1024), keys);
        Endpoint[] again = selectAll(new RingHash(endpoints, 1024), keys);
        Endpoint[] reordered = selectAll(new RingHash(shuffled, 1024), keys);

        assertThat(again).containsExactly(first);
        assertThat(reordered).containsExactly(first);
    }

    @Test
    void selectsTheFirstPointAtOrAfterTheHashAndWraps() {
        List<Endpoint> endpoints = endpoints(3);
        RingHash ring = new RingHash(endpoints, 16);
        SplittableRandom random = new SplittableRandom(1);

        for (int i = 0; i < 10_000; i++) {
            long hash = random.nextLong();
            assertThat(ring.select(hash)).isEqualTo(linearScan(endpoints, 16, hash));
        }
        assertThat(ring.select(-1L)).isEqualTo(linearScan(endpoints, 16, -1L));
        assertThat(ring.select(0L)).isEqualTo(linearScan(endpoints, 16, 0L));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10})
    void whenAnEndpointLeavesOnlyItsKeysMove(int n) {
        List<Endpoint> endpoints = endpoints(n);
        Endpoint removed = endpoints.get(2);
        List<Endpoint> remaining = endpoints.stream().filter(e -> !e.equals(removed)).toList();
        long[] keys = keys();

        Endpoint[] before = selectAll(new RingHash(endpoints, 1024), keys);
        Endpoint[] after = selectAll(new RingHash(remaining, 1024), keys);

        assertThat(moved(before, after)).isLessThanOrEqualTo(1.0 / n + 0.03);
        for (int i = 0; i < keys.length; i++) {
            if (!before[i].equals(after[i])) {
                assertThat(before[i]).isEqualTo(removed);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10})
    void whenAnEndpointJoinsOnlyKeysItTakesMove(int n) {
        List<Endpoint> endpoints = endpoints(n + 1);
        Endpoint added = endpoints.get(n);
        long[] keys = keys();

        Endpoint[] before = selectAll(new RingHash(endpoints.subList(0, n), 1024), keys);
        Endpoint[] after = selectAll(new RingHash(endpoints, 1024), keys);

        assertThat(moved(before, after)).isLessThanOrEqualTo(1.0 / (n + 1) + 0.03);
        for (int i = 0; i < keys.length; i++) {
            if (!before[i].equals(after[i])) {
                assertThat(after[i]).isEqualTo(added);
            }
        }
    }

    @Test
    void hashesIpv6EndpointsLikeEnvoy() {
        assertThat(HostKey.of(endpoint("fd00::1", 8080, 1))).isEqualTo("[fd00::1]:8080");
        assertThat(HostKey.of(endpoint("10.0.0.1", 8080, 1))).isEqualTo("10.0.0.1:8080");
    }

    @Test
    void ringSizeTakesDefaultsAndLimits() {
        assertThat(RingHash.minimumRingSizeFor(0)).isEqualTo(1024);
        assertThat(RingHash.minimumRingSizeFor(4096)).isEqualTo(4096);
        assertThat(RingHash.minimumRingSizeFor(1L << 40)).isEqualTo(RingHash.MAXIMUM_RING_SIZE);
    }

    @Test
    void rejectsAnEmptyEndpointList() {
        assertThatThrownBy(() -> new RingHash(List.of(), 1024)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The owner of the point with the smallest hash at or after {@code hash}, unsigned, else of the smallest. */
    private static Endpoint linearScan(List<Endpoint> endpoints, int pointsPerWeight, long hash) {
        Endpoint atOrAfter = null;
        long atOrAfterHash = 0;
        Endpoint lowest = null;
        long lowestHash = 0;
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < pointsPerWeight; i++) {
                long point = XxHash64.hash(HostKey.of(endpoint) + "_" + i);
                if (lowest == null || Long.compareUnsigned(point, lowestHash) < 0) {
                    lowest = endpoint;
                    lowestHash = point;
                }
                if (Long.compareUnsigned(point, hash) >= 0
                        && (atOrAfter == null || Long.compareUnsigned(point, atOrAfterHash) < 0)) {
                    atOrAfter = endpoint;
                    atOrAfterHash = point;
                }
            }
        }
        return atOrAfter != null ? atOrAfter : lowest;
    }
}
