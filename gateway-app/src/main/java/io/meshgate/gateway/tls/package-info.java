/** TLS termination at the Gateway servers: credentials, their rotation, and the certificate chosen by SNI. */
@NullMarked
package io.meshgate.gateway.tls;

import org.jspecify.annotations.NullMarked;
