/** The last step of a forwarded request: the upstream request, its response, and writing that response back. */
@NullMarked
package io.meshgate.gateway.proxy;

import org.jspecify.annotations.NullMarked;
