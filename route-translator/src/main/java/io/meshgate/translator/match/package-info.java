/** Picks the route for a request from an IR snapshot, by index: port, then host, then path. */
@NullMarked
package io.meshgate.translator.match;

import org.jspecify.annotations.NullMarked;
