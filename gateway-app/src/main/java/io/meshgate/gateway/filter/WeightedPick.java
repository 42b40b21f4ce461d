package io.meshgate.gateway.filter;

import io.meshgate.translator.ir.WeightedCluster;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks one of a route's weighted destinations, at random in proportion to the weights, as Envoy's weighted
 * clusters do. The endpoint within the destination's cluster is its load balancer's choice
 * ({@link io.meshgate.gateway.lb.Balancers}).
 */
public final class WeightedPick {

    private WeightedPick() {
    }

    /** One of {@code destinations} (not empty); a destination of weight 0 is never picked while another weighs more. */
    public static WeightedCluster destination(List<WeightedCluster> destinations) {
        if (destinations.size() == 1) {
            return destinations.get(0);
        }
        int total = 0;
        for (WeightedCluster destination : destinations) {
            total += destination.weight();
        }
        int ticket = ThreadLocalRandom.current().nextInt(Math.max(total, 1));
        for (WeightedCluster destination : destinations) {
            ticket -= destination.weight();
            if (ticket < 0) {
                return destination;
            }
        }
        return destinations.get(destinations.size() - 1);
    }
}
