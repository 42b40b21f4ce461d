/**
 * The {@code policy.meshgate.io/v1alpha1} resources, Meshgate's own kinds beside Istio's: {@link RateLimitPolicy}.
 * Plain Jackson-bound classes, read from files and from the API server as fabric8 binds Istio's.
 */
@NullMarked
package io.meshgate.translator.api.policy.v1alpha1;

import org.jspecify.annotations.NullMarked;
