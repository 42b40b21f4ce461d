package io.meshgate.gateway.route;

import static java.util.Objects.requireNonNull;

import io.meshgate.translator.ir.ClientTls;
import io.meshgate.translator.ir.ConnectionPool;
import java.util.Optional;

/**
 * Where one upstream try goes and how: the endpoint's {@code address:port}, the destination's TLS when requests to
 * it go over TLS, its DestinationRule connection pool, and whether it speaks HTTP/2 (its service port protocol is
 * {@code HTTP2}, {@code GRPC} or {@code GRPC-WEB}, as Istio decides it; otherwise requests go as HTTP/1.1).
 */
public record UpstreamTarget(String hostPort, Optional<ClientTls> tls, Optional<ConnectionPool> pool,
        boolean http2) {

    public UpstreamTarget {
        requireNonNull(hostPort, "hostPort");
        requireNonNull(tls, "tls");
        requireNonNull(pool, "pool");
    }
}
