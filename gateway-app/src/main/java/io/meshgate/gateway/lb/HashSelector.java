package io.meshgate.gateway.lb;

import io.meshgate.translator.ir.Endpoint;
import io.meshgate.translator.ir.LoadBalancer;
import java.util.List;

/**
 * Maps a 64-bit request hash to an endpoint, the same endpoint for the same hash. Implementations are immutable,
 * built once per endpoint list, and select without allocating.
 */
public interface HashSelector {

    /**
     * The selector for a DestinationRule's {@code consistentHash} over a non-empty endpoint list: a {@code maglev}
     * table, or else a {@code ringHash} ring. A table size that is not a prime is raised to the next prime; sizes of
     * 0 or less take Envoy's defaults and sizes above Envoy's limits are lowered to them.
     *
     * @throws IllegalArgumentException when {@code endpoints} is empty
     */
    static HashSelector of(LoadBalancer.ConsistentHash settings, List<Endpoint> endpoints) {
        if ("maglev".equals(settings.algorithm())) {
            return new MaglevTable(endpoints, MaglevTable.tableSizeFor(settings.tableSize()));
        }
        return new RingHash(endpoints, RingHash.minimumRingSizeFor(settings.tableSize()));
    }

    /** The endpoint for a request hash. */
    Endpoint select(long hash);
}
