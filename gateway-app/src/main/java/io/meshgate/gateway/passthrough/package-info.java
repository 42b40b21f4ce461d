/** TLS passthrough: TLS connections routed by their SNI name and relayed, still encrypted, to a backend. */
@NullMarked
package io.meshgate.gateway.passthrough;

import org.jspecify.annotations.NullMarked;
