/** Watches the config directory, translates it, and publishes each good snapshot atomically. */
@NullMarked
package io.meshgate.gateway.runner;

import org.jspecify.annotations.NullMarked;
