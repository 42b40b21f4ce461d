package io.meshgate.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgate.translator.ir.DestinationRef;
import io.meshgate.translator.ir.HeaderPolicy;
import io.meshgate.translator.ir.WeightedCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Weighted destination picks. */
class WeightedPickTest {

    @Test
    void onlyDestinationIsAlwaysPicked() {
        WeightedCluster only = destination("a", 100);

        assertThat(WeightedPick.destination(List.of(only))).isSameAs(only);
    }

    @Test
    void picksInProportionToTheWeights() {
        List<WeightedCluster> destinations = List.of(destination("a", 90), destination("b", 10), destination("c", 0));
        Map<String, Integer> counts = new HashMap<>();

        for (int i = 0; i < 20_000; i++) {
            counts.merge(WeightedPick.destination(destinations).cluster(), 1, Integer::sum);
        }

        // 10 % of 20,000 is 2,000; the binomial standard deviation is 42, so +-300 fails about never by chance
        assertThat(counts.get("b")).isBetween(1_700, 2_300);
        assertThat(counts.get("a")).isEqualTo(20_000 - counts.get("b"));
        assertThat(counts).doesNotContainKey("c");
    }

    private static WeightedCluster destination(String name, int weight) {
        return new WeightedCluster(name, weight, new DestinationRef(name, name, Optional.empty(), 80),
                HeaderPolicy.NONE);
    }
}
