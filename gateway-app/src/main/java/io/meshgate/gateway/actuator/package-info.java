/** Actuator endpoints: the live configuration and its diagnostics. */
@NullMarked
package io.meshgate.gateway.actuator;

import org.jspecify.annotations.NullMarked;
