/** One reactor-netty server per Gateway server port, opened and closed as the configuration changes. */
@NullMarked
package io.meshgate.gateway.listener;

import org.jspecify.annotations.NullMarked;
