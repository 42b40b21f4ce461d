package io.meshgate.gateway.lb;

import static io.meshgate.gateway.lb.Fixtures.endpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgate.translator.ir.LoadBalancer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The selector a DestinationRule's algorithm and table size ask for. */
class HashSelectorTest {

    @Test
    void maglevBuildsATableOfThePrimeSize() {
        HashSelector selector = HashSelector.of(settings("maglev", 1000), endpoints(3));

        assertThat(selector).isInstanceOfSatisfying(MaglevTable.class,
                table -> assertThat(table.size()).isEqualTo(1009));
    }

    @Test
    void ringHashBuildsARingOfTheMinimumSizePerEndpoint() {
        HashSelector selector = HashSelector.of(settings("ringHash", 2048), endpoints(3));

        assertThat(selector).isInstanceOfSatisfying(RingHash.class,
                ring -> assertThat(ring.size()).isEqualTo(3 * 2048));
    }

    @Test
    void sizesOfZeroTakeEnvoysDefaults() {
        assertThat(HashSelector.of(settings("maglev", 0), endpoints(2))).isInstanceOfSatisfying(MaglevTable.class,
                table -> assertThat(table.size()).isEqualTo(65537));
        assertThat(HashSelector.of(settings("ringHash", 0), endpoints(2))).isInstanceOfSatisfying(RingHash.class,
                ring -> assertThat(ring.size()).isEqualTo(2 * 1024));
    }

    @Test
    void aSingleEndpointTakesEveryKey() {
        HashSelector selector = HashSelector.of(settings("ringHash", 1024), endpoints(1));

        assertThat(selector.select(0)).isEqualTo(endpoints(1).get(0));
        assertThat(selector.select(-1)).isEqualTo(endpoints(1).get(0));
    }

    @Test
    void rejectsAnEmptyEndpointList() {
        assertThatThrownBy(() -> HashSelector.of(settings("maglev", 65537), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LoadBalancer.ConsistentHash settings(String algorithm, long tableSize) {
        return new LoadBalancer.ConsistentHash("useSourceIp", "", Optional.empty(), Optional.empty(), algorithm,
                tableSize);
    }
}
