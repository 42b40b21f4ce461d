package io.meshgate.translator.api.policy.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Rate limits on the routes of a VirtualService or on everything a Gateway serves, in the shape of Envoy Gateway's
 * {@code BackendTrafficPolicy.spec.rateLimit}: local rules count per gateway process, global rules across all
 * replicas.
 */
@Group(RateLimitPolicy.GROUP)
@Version(RateLimitPolicy.VERSION)
@ShortNames("rlp")
public class RateLimitPolicy extends CustomResource<RateLimitPolicySpec, Void> implements Namespaced {
    public static final String GROUP = "policy.meshgate.io";
    public static final String VERSION = "v1alpha1";
}
