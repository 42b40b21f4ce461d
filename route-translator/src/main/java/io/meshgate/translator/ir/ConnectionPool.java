package io.meshgate.translator.ir;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** Istio's {@code ConnectionPoolSettings}: the limits that make up circuit breaking. Unset means unlimited. */
public record ConnectionPool(Optional<Integer> maxConnections, Optional<Duration> connectTimeout,
        Optional<Duration> tcpIdleTimeout, Optional<Duration> maxConnectionDuration,
        Optional<Integer> http1MaxPendingRequests, Optional<Integer> http2MaxRequests,
        Optional<Integer> maxRequestsPerConnection, Optional<Integer> maxRetries, Optional<Duration> httpIdleTimeout) {
    public ConnectionPool {
        requireNonNull(maxConnections, "maxConnections");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        requireNonNull(maxConnectionDuration, "maxConnectionDuration");
        requireNonNull(http1MaxPendingRequests, "http1MaxPendingRequests");
        requireNonNull(http2MaxRequests, "http2MaxRequests");
        requireNonNull(maxRequestsPerConnection, "maxRequestsPerConnection");
        requireNonNull(maxRetries, "maxRetries");
        requireNonNull(httpIdleTimeout, "httpIdleTimeout");
    }
}
