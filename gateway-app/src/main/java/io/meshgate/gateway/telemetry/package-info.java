/** Istio-standard request metrics for Prometheus. */
@NullMarked
package io.meshgate.gateway.telemetry;

import org.jspecify.annotations.NullMarked;
