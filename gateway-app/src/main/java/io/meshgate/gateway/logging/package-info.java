/** Logging of what clients cause: bounded in rate and size, whatever the client sends. */
@NullMarked
package io.meshgate.gateway.logging;

import org.jspecify.annotations.NullMarked;
