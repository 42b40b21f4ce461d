package io.meshgate.translator.load;

import io.fabric8.istio.api.api.networking.v1alpha3.HTTPRetry;
import io.fabric8.istio.api.api.networking.v1alpha3.OutlierDetection;
import java.util.Map;

/**
 * The two DestinationRule fields that the seed document writes but Istio does not have, bound to the Istio types
 * they stand for. Keys are the path of the {@code trafficPolicy} that held them, such as
 * {@code spec.subsets[0].trafficPolicy}.
 *
 * @param circuitBreakers {@code trafficPolicy.circuitBreaker}, read as an {@code outlierDetection}
 * @param retryPolicies {@code trafficPolicy.retryPolicy}, read as a VirtualService {@code retries}
 */
public record SeedFields(Map<String, OutlierDetection> circuitBreakers, Map<String, HTTPRetry> retryPolicies) {
    public static final SeedFields NONE = new SeedFields(Map.of(), Map.of());

    public SeedFields {
        circuitBreakers = Map.copyOf(circuitBreakers);
        retryPolicies = Map.copyOf(retryPolicies);
    }

    public boolean isEmpty() {
        return circuitBreakers.isEmpty() && retryPolicies.isEmpty();
    }
}
