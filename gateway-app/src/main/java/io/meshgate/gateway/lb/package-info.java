/**
 * Consistent-hash load balancing for DestinationRule {@code trafficPolicy.loadBalancer.consistentHash}: the hash of a
 * request ({@link io.meshgate.gateway.lb.HashKey}, {@link io.meshgate.gateway.lb.CookieAffinity}) and the endpoint
 * it maps to ({@link io.meshgate.gateway.lb.HashSelector}).
 *
 * <p>A request path uses it in three steps. Once per endpoint list: {@code HashSelector.of(settings, endpoints)},
 * {@code HashKey.of(settings)} and {@code CookieAffinity.of(settings)}. Per request: {@code hashKey.compute(request)};
 * when that finds no key and cookie affinity is configured, {@code affinity.generate(request)} supplies the key and a
 * {@code Set-Cookie} header for the response. With a key, {@code selector.select(key)} is the endpoint; without one
 * the endpoint is picked at random, as Envoy does.
 */
@NullMarked
package io.meshgate.gateway.lb;

import org.jspecify.annotations.NullMarked;
