/** The edge gateway application: Spring Boot wiring of the runner, listeners, routing filters and telemetry. */
@NullMarked
package io.meshgate.gateway;

import org.jspecify.annotations.NullMarked;
