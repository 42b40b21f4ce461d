/** Picks the route of each request with the translator's matcher and answers what needs no backend. */
@NullMarked
package io.meshgate.gateway.route;

import org.jspecify.annotations.NullMarked;
