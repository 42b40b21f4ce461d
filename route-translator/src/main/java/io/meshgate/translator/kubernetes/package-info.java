/**
 * The Kubernetes config source: fabric8 shared informers over the Istio kinds, RateLimitPolicies, Services,
 * EndpointSlices and Pods, whose caches are turned into the same {@link io.meshgate.translator.load.ResourceSet} the
 * file source produces; changes are debounced into one rebuild, diagnostics go back as Kubernetes Events, and TLS
 * Secrets are mirrored into credential directories.
 */
@NullMarked
package io.meshgate.translator.kubernetes;

import org.jspecify.annotations.NullMarked;
