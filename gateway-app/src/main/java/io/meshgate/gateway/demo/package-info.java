/** Demo upstreams for running the bundled config/ without any backend of one's own. */
@NullMarked
package io.meshgate.gateway.demo;

import org.jspecify.annotations.NullMarked;
