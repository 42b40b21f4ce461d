/**
 * Rate limits at the edge: the rules of a route's {@code RateLimitPolicy} (and of Istio's EnvoyFilter
 * {@code local_ratelimit} form) enforced with Bucket4j token buckets, per gateway process or shared by every replica
 * through Redis.
 */
@NullMarked
package io.meshgate.gateway.ratelimit;

import org.jspecify.annotations.NullMarked;
