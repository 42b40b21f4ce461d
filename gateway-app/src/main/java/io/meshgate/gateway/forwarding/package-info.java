/** What the gateway tells upstreams about the client: edge header sanitizing and the client certificate (XFCC). */
@NullMarked
package io.meshgate.gateway.forwarding;

import org.jspecify.annotations.NullMarked;
